"""Fonts and translations for every Qt entry point. Source strings are Chinese (zh_CN);
other languages come from .qm files in resources/translations."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.paths import FONT_FILES, TRANSLATIONS_DIR

log = logging.getLogger(__name__)


def register_ui_fonts(app: QApplication) -> str | None:
    """Register the bundled CJK fonts, so Chinese shows on a machine without any; the first
    becomes the application font. Returns its family."""
    families: list[str] = []
    for path in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load font %s", path)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    if not families:
        return None
    font = QFont(families[0], app.font().pointSize())
    # The fallback font carries rare name characters (CJK Extension A) the first one lacks.
    font.setFamilies(families)
    app.setFont(font)
    return families[0]


def install_qt_translator(app: QCoreApplication, lang: str = "zh_CN") -> QTranslator | None:
    """Qt's own texts (the standard buttons OK / Cancel / Save, the file dialog, the context
    menus) in the UI's language: qtbase_<lang>.qm from the Qt installation's translations."""
    translator = QTranslator(app)
    directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{lang}", directory):
        log.warning("no Qt translation qtbase_%s in %s", lang, directory)
        return None
    app.installTranslator(translator)
    return translator


def install_translator(app: QCoreApplication, lang: str | None) -> QTranslator | None:
    """The UI's language. Chinese (the source language) needs only Qt's own translation, for
    the standard buttons; another language loads resources/translations/onewindow_<lang>.qm.
    Returns the translator installed (the caller may remove it), or None."""
    lang = lang or "zh_CN"
    if lang.startswith("zh"):
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        return install_qt_translator(app, "zh_CN")
    translator = QTranslator(app)
    if not translator.load(f"onewindow_{lang}", str(TRANSLATIONS_DIR)):
        log.warning("no translation for %s; showing Chinese", lang)
        return None
    app.installTranslator(translator)
    QLocale.setDefault(QLocale(lang))
    return translator

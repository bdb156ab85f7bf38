"""Paper: the acceptance receipt, the gap commitment, the one-time notification slip, the
rejection notice and the queue ticket, rendered to PDF with reportlab from plain values.

`app.printing.render.render(document)` renders; `app.printing.model` holds the values. This
package imports nothing itself, so the UI can read the font list without loading reportlab."""

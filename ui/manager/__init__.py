"""The hall manager's view (widgets): ui/manager/panel.py."""

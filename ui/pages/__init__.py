"""The views shown in the window's main area, one per place in the side panel."""

"""Built-in form definitions (data). The folder ships inside the installed distribution."""

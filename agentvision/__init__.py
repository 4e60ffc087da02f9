"""agentvision: smolagents code-agents that drive a vision-language model and chain visual tools."""

__version__ = "0.1.0"

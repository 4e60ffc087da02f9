"""The implementations of the command-line subcommands, one module each."""

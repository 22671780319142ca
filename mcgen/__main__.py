from mcgen.cli import run

run()

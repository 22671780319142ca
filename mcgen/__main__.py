from mcgen.entry import run

run()

from mcgen.cli import main

main()

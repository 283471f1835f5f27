from fedchapter.cli import main

main()

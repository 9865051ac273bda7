from hipquiz.cli import main

raise SystemExit(main())

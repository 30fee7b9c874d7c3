from ampwork.cli import main

raise SystemExit(main())

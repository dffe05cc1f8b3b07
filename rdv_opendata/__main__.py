from rdv_opendata.cli import main

raise SystemExit(main())

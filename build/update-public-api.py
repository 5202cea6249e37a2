#!/usr/bin/env python3
"""Adds the public symbols a project declares but its PublicAPI.Unshipped.txt lacks (RS0016), and removes the ones it
no longer has (RS0017). Run after changing a public API on purpose, then review the diff of the ledger:

    python3 build/update-public-api.py src/MlEnvironments/MlEnvironments.csproj
"""
import os
import re
import subprocess
import sys

for project in sys.argv[1:]:
    folder = os.path.dirname(project)
    unshipped = os.path.join(folder, 'PublicAPI.Unshipped.txt')
    lines = [l for l in open(unshipped).read().splitlines() if l.strip()]
    build = subprocess.run(['dotnet', 'build', project, '-p:TreatWarningsAsErrors=false', '--no-incremental'],
                           capture_output=True, text=True).stdout
    added = set(re.findall(r"RS0016: Symbol '(.*?)' is not part of the declared public API", build))
    removed = set(re.findall(r"RS0017: Symbol '(.*?)' is part of the declared API, but is either not public or could not be found", build))
    body = sorted((set(l for l in lines if not l.startswith('#')) | added) - removed)
    open(unshipped, 'w').write('#nullable enable\n' + '\n'.join(body) + '\n')
    print(f'{project}: {len(added)} added, {len(removed)} removed')

#!/usr/bin/env bash
# What the analyzers add to a build. A generated project with 1,000 environment definitions (100 repositories of 10
# environments, half of them through locals, written as the README writes them) references the packed MlEnvironments
# package twice: once as users get it, once with ExcludeAssets="analyzers". Both are restored once, built once to
# warm the compiler server, then built alternately (--no-incremental, so each build compiles) ROUNDS times (default 5)
# in the same run. Prints a Markdown table of the medians, and the analyzer's own execution time as the compiler
# reports it (-p:ReportAnalyzer=true). Needs only the .NET SDK and python3; all on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version="0.0.0-buildcost.$(date +%s)"

echo "packing MlEnvironments $version ..." >&2
dotnet pack src/MlEnvironments/MlEnvironments.csproj -c Release -o "$work/packages" -p:Version="$version" -nologo -v:q >&2

cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/packages" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="MlEnvironments" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML

python3 - "$work/Definitions.cs" <<'PY'
import sys
lines = ["using MlEnvironments;", "using static MlEnvironments.MlEnvironment;", "", "namespace BuildCost;", "",
         "public static class Definitions", "{", '    private const string Subscription = "00000000-0000-0000-0000-000000000001";', ""]
for r in range(100):
    lines.append(f"    public static RepositoryDefinition Repository{r}()")
    lines.append("    {")
    names = []
    for e in range(5):
        name = f"stage{e}"
        names.append(name)
        lines.append(f'        var {name} = Environment("{name}")')
        lines.append(f'            .BindWorkspace(Workspace(Subscription, "rg-ml-{r}", "mlw-{r}-{e}"))')
        lines.append(f'            .WithVariable("MODEL_NAME", "model-{r}");')
    inline = []
    for e in range(5, 10):
        inline.append(f'            Environment("stage{e}")'
                      f'.RequireReviewers(User("ana"), Team("ml-leads"))'
                      f'.WithWaitTimer(TimeSpan.FromMinutes({e * 5}))'
                      f'.PreventSelfReview()'
                      f'.AllowBranches("main", "release/*")'
                      f'.BindWorkspace(Workspace(Subscription, "rg-ml-{r}", "mlw-{r}-{e}"))'
                      f'.WithSecret("DB_PASSWORD", SecretFromEnvironmentVariable("DB_PASSWORD"))')
    lines.append(f'        return Repository("octo-org/repo-{r}", {", ".join(names)},')
    lines.append(",\n".join(inline) + ");")
    lines.append("    }")
    lines.append("")
lines.append("}")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY

for variant in with without; do
  mkdir -p "$work/$variant"
  cp "$work/Definitions.cs" "$work/$variant/"
  exclude=none
  [ "$variant" = without ] && exclude=analyzers
  cat > "$work/$variant/BuildCost.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="MlEnvironments" Version="$version" ExcludeAssets="$exclude" />
  </ItemGroup>
</Project>
XML
  dotnet restore "$work/$variant" --configfile "$work/nuget.config" -nologo -v:q >&2
  dotnet build "$work/$variant" --no-restore --no-incremental -nologo -v:q >&2   # warm-up, not counted
done

seconds() { local start end; start=$(date +%s.%N); dotnet build "$1" --no-restore --no-incremental -nologo -v:q >/dev/null; end=$(date +%s.%N); printf '%.2f\n' "$(echo "$end - $start" | bc)"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
: > "$work/with.times"; : > "$work/without.times"
for round in $(seq 1 "$rounds"); do
  seconds "$work/with" >> "$work/with.times"
  seconds "$work/without" >> "$work/without.times"
  echo "round $round: with $(tail -n 1 "$work/with.times") s, without $(tail -n 1 "$work/without.times") s" >&2
done

# The compiler's own account of the analyzer (ReportAnalyzer prints each analyzer's execution time).
report=$(dotnet build "$work/with" --no-restore --no-incremental -nologo -v:d -p:ReportAnalyzer=true 2>&1 |
  grep -E '^ *[0-9.]+ +[0-9]+ +MlEnvironments\.Analyzers' | sed 's/^ *//' | head -n 1)

with=$(median < "$work/with.times")
without=$(median < "$work/without.times")
echo "| Build (--no-incremental), $rounds rounds alternated | Median | All rounds (s) |"
echo "|---|---:|---|"
echo "| With the analyzers | $with s | $(paste -sd' ' "$work/with.times") |"
echo "| Without (ExcludeAssets=\"analyzers\") | $without s | $(paste -sd' ' "$work/without.times") |"
printf '| Difference | %+.2f s | |\n' "$(echo "$with - $without" | bc)"
echo
if [ -n "$report" ]; then
  read -r analyzer_seconds analyzer_share _ <<<"$report"
  echo "The compiler's account (-p:ReportAnalyzer=true, one more build): MlEnvironments.Analyzers ran ${analyzer_seconds} s, ${analyzer_share} % of all analyzer time in that build."
else
  echo "The compiler's account: no line for MlEnvironments.Analyzers in the build log."
fi

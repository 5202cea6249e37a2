// The README's first example, exactly as written, in a project that takes MlEnvironments as a NuGet package.
using static MlEnvironments.MlEnvironment;
var prod = Environment("prod")
    .RequireReviewers(User("ana"), Team("ml-leads"))
    .BindWorkspace(Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-prod"));

Console.WriteLine(prod);
var result = prod.Validate();
Console.WriteLine(result);
return result.IsValid ? 0 : 1;

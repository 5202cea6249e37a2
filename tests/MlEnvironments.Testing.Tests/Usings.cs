namespace MlEnvironments.Testing.Tests;

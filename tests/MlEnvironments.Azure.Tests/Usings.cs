global using MlEnvironments.Azure.Tests.Support;

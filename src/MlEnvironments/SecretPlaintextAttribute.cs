using System;

namespace MlEnvironments;

/// <summary>
/// Marks a parameter that takes a secret's plaintext. The MlEnvironments analyzers report a constant passed to such a
/// parameter (MLENV002): a secret written in source code is in every clone and every build log of the repository.
/// Apply it to the parameters of your own methods that take a secret, and they are checked the same way.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = true)]
public sealed class SecretPlaintextAttribute : Attribute
{
}

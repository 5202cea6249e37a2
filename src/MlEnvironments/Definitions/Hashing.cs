using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace MlEnvironments;

internal static class Hashing
{
    public static int Combine<T>(int seed, ImmutableArray<T> items, IEqualityComparer<T>? comparer = null)
    {
        var hash = new HashCode();
        hash.Add(seed);
        comparer ??= EqualityComparer<T>.Default;
        if (!items.IsDefault)
        {
            foreach (var item in items)
            {
                hash.Add(item, comparer);
            }
        }

        return hash.ToHashCode();
    }
}

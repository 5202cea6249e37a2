using System;
using System.Linq;

namespace MlEnvironments.Promotion;

public sealed partial class ModelPromoter
{
    /// <summary>
    /// Turns Azure's 403 into a <see cref="PromotionException"/> that says which role on which scope the target's
    /// login lacks (from <see cref="PromotionAccess"/>), keeping Azure's own words (the action and the scope).
    /// </summary>
    private static PromotionException AccessDenied(RemoteServiceException refusal, RepositoryDefinition definition, Route route)
    {
        var requirements = PromotionAccess.For(definition, route.Target.Name);
        var onScope = requirements
            .Where(r => refusal.Message.Contains(r.Scope + "'", StringComparison.OrdinalIgnoreCase) || refusal.Message.Contains(r.Scope + "/", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var needed = onScope.Count > 0 ? onScope : requirements.ToList();
        var roles = needed.Count == 0
            ? "a role that allows the refused action"
            : string.Join("; ", needed.Select(r => $"{r.RoleName} ({r.RoleDefinitionId}) on {r.Scope}, to {r.Reason}"));
        return new PromotionException(PromotionErrors.AccessDenied,
            $"Azure refused the promotion into '{route.Target.Name}' ({refusal.Operation}, 403): {refusal.Message} " +
            $"The login of '{route.Target.Name}' needs {roles}. An OIDC login gets these roles from 'mlenv apply' (unless " +
            "ManagePromotionAccess is off); assign them yourself to a service principal.",
            refusal);
    }
}

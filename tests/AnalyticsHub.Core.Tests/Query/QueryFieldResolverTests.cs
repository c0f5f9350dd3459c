using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Tests.Query;

public sealed class QueryFieldResolverTests
{
    private readonly QueryFieldResolver _resolver = new(new SeriesDimensions(["tier"]));

    [Theory]
    [InlineData("source_module", FieldKind.SourceModule, "source_module", "")]
    [InlineData("event_type", FieldKind.EventType, "event_type", "")]
    [InlineData("severity", FieldKind.Severity, "severity", "")]
    [InlineData("environment", FieldKind.Environment, "environment", "")]
    [InlineData("asset_id", FieldKind.AssetId, "asset_id", "")]
    [InlineData("event_id", FieldKind.EventId, "event_id", "")]
    [InlineData("correlation_id", FieldKind.CorrelationId, "correlation_id", "")]
    [InlineData("parent_event_id", FieldKind.ParentEventId, "parent_event_id", "")]
    [InlineData("SEVERITY", FieldKind.Severity, "severity", "")]
    [InlineData("model", FieldKind.SeriesTag, "model", "model")]
    [InlineData("region", FieldKind.SeriesTag, "region", "region")]
    [InlineData("service", FieldKind.SeriesTag, "service", "service")]
    [InlineData("version", FieldKind.SeriesTag, "version", "version")]
    [InlineData("tier", FieldKind.SeriesTag, "tier", "tier")]
    [InlineData("tags.model", FieldKind.SeriesTag, "model", "model")]
    [InlineData("TAGS.model", FieldKind.SeriesTag, "model", "model")]
    [InlineData("tags.tier", FieldKind.SeriesTag, "tier", "tier")]
    [InlineData("tags.user_tier", FieldKind.Tag, "tags.user_tier", "user_tier")]
    [InlineData("tags.Model", FieldKind.Tag, "tags.Model", "Model")]
    [InlineData("tags.k8s.pod", FieldKind.Tag, "tags.k8s.pod", "k8s.pod")]
    [InlineData("tags.user_id", FieldKind.Tag, "tags.user_id", "user_id")]
    [InlineData("payload.dimensions.region", FieldKind.PayloadDimension, "payload.dimensions.region", "region")]
    [InlineData("payload.attribution.team", FieldKind.PayloadDimension, "payload.dimensions.team", "team")]
    [InlineData("payload.details.cve", FieldKind.PayloadDimension, "payload.dimensions.cve", "cve")]
    [InlineData("payload.attributes.owner", FieldKind.PayloadDimension, "payload.dimensions.owner", "owner")]
    [InlineData("payload.fields.x.y", FieldKind.PayloadDimension, "payload.dimensions.x.y", "x.y")]
    [InlineData("payload.metric_name", FieldKind.Payload, "payload.metric_name", "metric_name")]
    [InlineData("payload.amount", FieldKind.Payload, "payload.amount", "amount")]
    [InlineData("Payload.input_tokens", FieldKind.Payload, "payload.input_tokens", "input_tokens")]
    public void TryResolve_KnownForms_GiveKindNameAndKey(string text, FieldKind kind, string name, string key)
    {
        Assert.True(_resolver.TryResolve(text, out var field, out var error), error);

        Assert.Equal(new QueryField(kind, name, key), field);
    }

    [Theory]
    [InlineData("source_module", true)]
    [InlineData("asset_id", true)]
    [InlineData("model", true)]
    [InlineData("event_id", false)]
    [InlineData("tags.user_tier", false)]
    [InlineData("payload.amount", false)]
    [InlineData("payload.dimensions.model", false)]
    public void TryResolve_SeriesDimensionsOnly_AreRollupAnswerable(string text, bool isSeriesDimension)
    {
        Assert.True(_resolver.TryResolve(text, out var field, out _));

        Assert.Equal(isSeriesDimension, field.IsSeriesDimension);
    }

    [Theory]
    [InlineData("tenant_id", "set the top-level tenant_id")]
    [InlineData("Tenant_ID", "set the top-level tenant_id")]
    [InlineData("user_id", "unknown field 'user_id'; use one of source_module, event_type, severity, environment, asset_id, event_id, correlation_id, parent_event_id, region, model, service, version, tier, tags.<key>, payload.<name>, payload.dimensions.<key>")]
    [InlineData("Model", "unknown field 'Model'")]
    [InlineData("", "a field name is required")]
    [InlineData(null, "a field name is required")]
    [InlineData("tags.", "has no key; write tags.<key>")]
    [InlineData("payload.", "has no key; write payload.<name>")]
    [InlineData("payload.dimensions", "name one key of it: payload.dimensions.<key>")]
    [InlineData("payload.dimensions.", "has no key; write payload.dimensions.<key>")]
    [InlineData("payload.metric_name.x", "too deep")]
    [InlineData("tags.a\u0001b", "no control characters")]
    public void TryResolve_Invalid_SaysWhatToWrite(string? text, string message)
    {
        Assert.False(_resolver.TryResolve(text, out _, out var error));

        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_KeyOf128_IsAccepted_129_IsNot()
    {
        Assert.True(_resolver.TryResolve("tags." + new string('k', 128), out _, out _));

        Assert.False(_resolver.TryResolve("tags." + new string('k', 129), out _, out var error));
        Assert.Contains("keys are at most 128", error, StringComparison.Ordinal);
        Assert.False(_resolver.TryResolve(new string('k', 1000), out _, out _));
    }
}

namespace AnalyticsHub.Deploy.Tests;

/// <summary>
/// Each deploy/ artefact passes the checker of its own format (tests/deploy/check.sh): skipped with
/// the reason when the tool is not installed here, failed when the artefact is wrong.
/// </summary>
public sealed class ArtifactCheckTests
{
    private static void AssertCheckPasses(string check)
    {
        var result = Script.Run("tests/deploy/check.sh", check);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ok   ", result.StandardOutput, StringComparison.Ordinal);
    }

    [ToolFact("systemd-analyze", "systemd")]
    public void SystemdUnit_PassesSystemdAnalyzeVerify_WithoutWarnings() => AssertCheckPasses("systemd");

    [ToolFact("promtool", "prometheus")]
    public void PrometheusRulesAndConfig_PassPromtoolChecks_AndAlertUnitTests() => AssertCheckPasses("promtool");

    [ToolFact("shellcheck", "shellcheck")]
    public void DeployAndTestScripts_AreShellcheckClean() => AssertCheckPasses("shellcheck");

    [ToolFact("jq", "jq")]
    public void GrafanaDashboard_IsValidJsonWithTargetsAndUniquePanelIds() => AssertCheckPasses("dashboard");

    [ToolFact("yamllint", "yamllint")]
    public void PlainYamlFiles_PassYamllint() => AssertCheckPasses("yaml");
}

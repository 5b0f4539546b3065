using System.Text.Json;
using GanStream.Tests.Support;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GanStream.Tests.Ops;

/// <summary>The PromQL queries of the shipped alert rules and Grafana dashboards, read from the ops/ folder.</summary>
public static class OpsDefinitions
{
    public static string RulesFile => Path.Combine(TestPaths.RepositoryRoot, "ops", "prometheus", "rules", "ganstream.yml");

    public static string PrometheusConfig => Path.Combine(TestPaths.RepositoryRoot, "ops", "prometheus", "prometheus.yml");

    public static string DashboardFolder => Path.Combine(TestPaths.RepositoryRoot, "ops", "grafana", "dashboards");

    public static string ComposeFile => Path.Combine(TestPaths.RepositoryRoot, "ops", "compose", "docker-compose.yml");

    public static string KubernetesFolder => Path.Combine(TestPaths.RepositoryRoot, "ops", "k8s");

    /// <summary>Every rule of the rules file: its name (alert or record) and expression.</summary>
    public static IReadOnlyList<(string Name, string Expression, bool IsRecording)> Rules()
    {
        var rules = new List<(string, string, bool)>();
        YamlMappingNode root = LoadYaml(RulesFile).Single();
        foreach (YamlMappingNode group in ((YamlSequenceNode)root["groups"]).Cast<YamlMappingNode>())
        {
            foreach (YamlMappingNode rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            {
                bool recording = rule.Children.ContainsKey("record");
                string name = Scalar(rule, recording ? "record" : "alert");
                rules.Add((name, Scalar(rule, "expr"), recording));
            }
        }

        return rules;
    }

    /// <summary>Every query of every dashboard: panel targets, and the metric of each label_values variable.</summary>
    public static IReadOnlyList<(string Dashboard, string Panel, string Expression)> DashboardQueries()
    {
        var queries = new List<(string, string, string)>();
        foreach (string file in Directory.GetFiles(DashboardFolder, "*.json"))
        {
            using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(file));
            string name = Path.GetFileName(file);
            foreach (JsonElement panel in Panels(dashboard.RootElement))
            {
                if (!panel.TryGetProperty("targets", out JsonElement targets))
                {
                    continue;
                }

                string title = panel.GetProperty("title").GetString()!;
                foreach (JsonElement target in targets.EnumerateArray())
                {
                    queries.Add((name, title, target.GetProperty("expr").GetString()!));
                }
            }

            foreach (JsonElement variable in dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
            {
                if (variable.GetProperty("type").GetString() == "query")
                {
                    string query = variable.GetProperty("query").GetProperty("query").GetString()!;
                    string? metric = PromQl.LabelValuesMetric(query);
                    Assert.True(metric is not null, $"{name}: variable query '{query}' is not label_values(metric, label)");
                    queries.Add((name, $"variable {variable.GetProperty("name").GetString()}", metric!));
                }
            }
        }

        return queries;
    }

    /// <summary>Panels of a dashboard, including those nested in collapsed rows.</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement dashboard)
    {
        foreach (JsonElement panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out JsonElement nested))
            {
                foreach (JsonElement inner in nested.EnumerateArray())
                {
                    yield return inner;
                }
            }
        }
    }

    public static IReadOnlyList<YamlMappingNode> LoadYaml(string path)
    {
        // Docker Compose files share settings through merge keys (<<: *anchor), which MergingParser resolves.
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(new MergingParser(new Parser(reader)));
        }

        return stream.Documents.Select(document => (YamlMappingNode)document.RootNode).ToList();
    }

    public static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;
}

using System.Text.Json;
using GanStream.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace GanStream.Tests.Ops;

/// <summary>
/// Static checks of the deployment files, because no container engine or cluster runs them here. The rules and the
/// Prometheus configuration must pass promtool. The compose file, Kubernetes manifests and dashboard must agree with
/// the services' port, health paths, consumer group and topics.
/// </summary>
public sealed class OpsFilesTests(ITestOutputHelper output)
{
    private const string HttpPort = "9464";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Ops)]
    public async Task AlertRules_Promtool_Pass()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        (int exitCode, string result) = await PrometheusTools.RunPromtoolAsync(
            ["check", "rules", OpsDefinitions.RulesFile],
            null,
            timeout.Token);
        output.WriteLine(result);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Ops)]
    public async Task PrometheusConfig_Promtool_Pass()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        (int exitCode, string result) = await PrometheusTools.RunPromtoolAsync(
            ["check", "config", OpsDefinitions.PrometheusConfig],
            null,
            timeout.Token);
        output.WriteLine(result);
        Assert.Equal(0, exitCode);
        Assert.Contains("1 rule files found", result, StringComparison.Ordinal);
    }

    /// <summary>
    /// Debian's Prometheus 2.42 is built without Kubernetes service discovery, so its promtool rejects
    /// kubernetes_sd_configs. The fragment is checked for the job names and labels the rules rely on instead.
    /// </summary>
    [Fact]
    [Trait(TestCategories.Name, TestCategories.Unit)]
    public void KubernetesScrapeConfig_Jobs_MatchRules()
    {
        YamlMappingNode configMap = OpsDefinitions.LoadYaml(Path.Combine(OpsDefinitions.KubernetesFolder, "prometheus-scrape.yaml")).Single();
        string fragment = OpsDefinitions.Scalar((YamlMappingNode)configMap["data"], "scrape-configs.yml");
        var stream = new YamlStream();
        stream.Load(new StringReader(fragment));
        var jobs = ((YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["scrape_configs"]).Cast<YamlMappingNode>().ToList();

        Assert.Equal(["ganstream-cloud", "ganstream-edge"], jobs.Select(job => OpsDefinitions.Scalar(job, "job_name")));
        foreach (YamlMappingNode job in jobs)
        {
            Assert.True(job.Children.ContainsKey("kubernetes_sd_configs"));
            string component = OpsDefinitions.Scalar(job, "job_name")["ganstream-".Length..];
            var relabels = ((YamlSequenceNode)job["relabel_configs"]).Cast<YamlMappingNode>().ToList();
            Assert.Contains(relabels, rule => rule.Children.ContainsKey("action") &&
                OpsDefinitions.Scalar(rule, "action") == "keep" && OpsDefinitions.Scalar(rule, "regex") == component);
        }

        var cloudRelabels = ((YamlSequenceNode)jobs[0]["relabel_configs"]).Cast<YamlMappingNode>();
        Assert.Contains(cloudRelabels, rule => rule.Children.ContainsKey("target_label") &&
            OpsDefinitions.Scalar(rule, "target_label") == "accelerator");
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Unit)]
    public void AlertRules_RequiredAlerts_Defined()
    {
        string[] alerts = OpsDefinitions.Rules().Where(rule => !rule.IsRecording).Select(rule => rule.Name).ToArray();

        Assert.Contains("GanStreamWorkerDown", alerts);
        Assert.Contains("GanStreamConsumerLagGrowing", alerts);
        Assert.Contains("GanStreamDeadLettersRising", alerts);
        Assert.Contains("GanStreamLatencyBudgetBurn", alerts);
        Assert.Contains("GanStreamGpuMissing", alerts);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Unit)]
    public void Dashboard_Import_UsesDatasourceVariable()
    {
        foreach (string file in Directory.GetFiles(OpsDefinitions.DashboardFolder, "*.json"))
        {
            using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(file));
            JsonElement root = dashboard.RootElement;
            Assert.Equal(JsonValueKind.Null, root.GetProperty("id").ValueKind);
            Assert.False(root.TryGetProperty("__inputs", out _), $"{file} needs import inputs");
            JsonElement variables = root.GetProperty("templating").GetProperty("list");
            Assert.Contains(
                variables.EnumerateArray(),
                variable => variable.GetProperty("type").GetString() == "datasource" &&
                    variable.GetProperty("name").GetString() == "datasource" &&
                    variable.GetProperty("query").GetString() == "prometheus");

            foreach (JsonElement panel in OpsDefinitions.Panels(root).Where(p => p.GetProperty("type").GetString() != "row"))
            {
                string title = panel.GetProperty("title").GetString()!;
                Assert.True(
                    panel.GetProperty("datasource").GetProperty("uid").GetString() == "${datasource}",
                    $"panel '{title}' does not use the datasource variable");
                foreach (JsonElement target in panel.GetProperty("targets").EnumerateArray())
                {
                    Assert.Equal("${datasource}", target.GetProperty("datasource").GetProperty("uid").GetString());
                }
            }
        }
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Unit)]
    public void Compose_Services_StartEveryComponent()
    {
        YamlMappingNode compose = OpsDefinitions.LoadYaml(OpsDefinitions.ComposeFile).Single();
        var services = (YamlMappingNode)compose["services"];
        string[] names = services.Children.Keys.Cast<YamlScalarNode>().Select(key => key.Value!).ToArray();
        Assert.Equal(["kafka", "cloud-cpu", "cloud-gpu", "edge", "prometheus", "grafana"], names);

        var kafka = (YamlMappingNode)services["kafka"];
        Assert.Equal("broker,controller", OpsDefinitions.Scalar((YamlMappingNode)kafka["environment"], "KAFKA_PROCESS_ROLES"));

        var cpu = (YamlMappingNode)services["cloud-cpu"];
        var gpu = (YamlMappingNode)services["cloud-gpu"];
        Assert.Equal("cpu", ((YamlScalarNode)((YamlSequenceNode)cpu["profiles"])[0]).Value);
        Assert.Equal("gpu", ((YamlScalarNode)((YamlSequenceNode)gpu["profiles"])[0]).Value);
        var device = (YamlMappingNode)((YamlSequenceNode)gpu["deploy"]["resources"]["reservations"]["devices"])[0];
        Assert.Equal("nvidia", OpsDefinitions.Scalar(device, "driver"));

        foreach (string service in new[] { "cloud-cpu", "cloud-gpu", "edge" })
        {
            var node = (YamlMappingNode)services[service];
            string healthcheck = string.Join(" ", ((YamlSequenceNode)node["healthcheck"]["test"]).Select(part => part.ToString()));
            Assert.Contains($"/{HttpPort} ", healthcheck, StringComparison.Ordinal);
            Assert.Contains("GET /health/ready ", healthcheck, StringComparison.Ordinal);
            string command = string.Join(" ", ((YamlSequenceNode)node["command"]).Select(part => part.ToString()));
            Assert.Contains($"--metrics-url=http://0.0.0.0:{HttpPort}", command, StringComparison.Ordinal);
            Assert.Contains("--bootstrap-servers=kafka:9092", command, StringComparison.Ordinal);
        }

        string edgeCommand = string.Join(" ", ((YamlSequenceNode)services["edge"]["command"]).Select(part => part.ToString()));
        Assert.Contains("samples/vtest-20s.avi", edgeCommand, StringComparison.Ordinal);
        Assert.True(File.Exists(TestPaths.SampleClip));

        string grafanaVolumes = string.Join(" ", ((YamlSequenceNode)services["grafana"]["volumes"]).Select(part => part.ToString()));
        Assert.Contains("../grafana/provisioning:/etc/grafana/provisioning", grafanaVolumes, StringComparison.Ordinal);
        Assert.Contains("../grafana/dashboards:/var/lib/grafana/dashboards", grafanaVolumes, StringComparison.Ordinal);
        string prometheusVolumes = string.Join(" ", ((YamlSequenceNode)services["prometheus"]["volumes"]).Select(part => part.ToString()));
        Assert.Contains("../prometheus:/etc/prometheus", prometheusVolumes, StringComparison.Ordinal);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Unit)]
    public void KubernetesManifests_Deployments_ProbeHealthEndpoints()
    {
        List<YamlMappingNode> documents = Directory.GetFiles(OpsDefinitions.KubernetesFolder, "*.yaml")
            .SelectMany(OpsDefinitions.LoadYaml)
            .ToList();
        List<YamlMappingNode> deployments = documents.Where(d => OpsDefinitions.Scalar(d, "kind") == "Deployment").ToList();
        Assert.Equal(3, deployments.Count);

        foreach (YamlMappingNode deployment in deployments)
        {
            string name = OpsDefinitions.Scalar((YamlMappingNode)deployment["metadata"], "name");
            var container = (YamlMappingNode)((YamlSequenceNode)deployment["spec"]["template"]["spec"]["containers"])[0];
            var port = (YamlMappingNode)((YamlSequenceNode)container["ports"])[0];
            Assert.Equal(HttpPort, OpsDefinitions.Scalar(port, "containerPort"));
            Assert.Equal("/health/ready", OpsDefinitions.Scalar((YamlMappingNode)container["readinessProbe"]["httpGet"], "path"));
            Assert.Equal("/health/live", OpsDefinitions.Scalar((YamlMappingNode)container["livenessProbe"]["httpGet"], "path"));
            Assert.True(((YamlMappingNode)container["resources"]).Children.ContainsKey("requests"), $"{name} has no resource requests");
            Assert.True(((YamlMappingNode)container["resources"]).Children.ContainsKey("limits"), $"{name} has no resource limits");
        }

        YamlMappingNode gpu = deployments.Single(
            d => OpsDefinitions.Scalar((YamlMappingNode)d["metadata"], "name") == "ganstream-cloud-gpu");
        var gpuContainer = (YamlMappingNode)((YamlSequenceNode)gpu["spec"]["template"]["spec"]["containers"])[0];
        Assert.Equal("1", OpsDefinitions.Scalar((YamlMappingNode)gpuContainer["resources"]["limits"], "nvidia.com/gpu"));

        YamlMappingNode config = documents.Single(d => OpsDefinitions.Scalar(d, "kind") == "ConfigMap" &&
            OpsDefinitions.Scalar((YamlMappingNode)d["metadata"], "name") == "ganstream-config");
        using JsonDocument settings = JsonDocument.Parse(OpsDefinitions.Scalar((YamlMappingNode)config["data"], "ganstream.json"));
        Assert.Equal($"http://0.0.0.0:{HttpPort}", settings.RootElement.GetProperty("Metrics").GetProperty("Urls").GetString());
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Unit)]
    public void KubernetesAutoscalers_KafkaTrigger_MatchWorkers()
    {
        List<YamlMappingNode> documents = Directory.GetFiles(OpsDefinitions.KubernetesFolder, "*.yaml")
            .SelectMany(OpsDefinitions.LoadYaml)
            .ToList();
        string[] deployments = documents.Where(d => OpsDefinitions.Scalar(d, "kind") == "Deployment")
            .Select(d => OpsDefinitions.Scalar((YamlMappingNode)d["metadata"], "name"))
            .ToArray();
        YamlMappingNode config = documents.Single(d => OpsDefinitions.Scalar(d, "kind") == "ConfigMap" &&
            OpsDefinitions.Scalar((YamlMappingNode)d["metadata"], "name") == "ganstream-config");
        using JsonDocument settings = JsonDocument.Parse(OpsDefinitions.Scalar((YamlMappingNode)config["data"], "ganstream.json"));
        int partitions = settings.RootElement.GetProperty("Kafka").GetProperty("TopicPartitions").GetInt32();

        List<YamlMappingNode> scaledObjects = documents.Where(d => OpsDefinitions.Scalar(d, "kind") == "ScaledObject").ToList();
        Assert.Equal(2, scaledObjects.Count);
        foreach (YamlMappingNode scaledObject in scaledObjects)
        {
            var spec = (YamlMappingNode)scaledObject["spec"];
            Assert.Contains(OpsDefinitions.Scalar((YamlMappingNode)spec["scaleTargetRef"], "name"), deployments);
            int maxReplicas = int.Parse(OpsDefinitions.Scalar(spec, "maxReplicaCount"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(maxReplicas <= partitions, $"{maxReplicas} workers for {partitions} partitions");
            var trigger = (YamlMappingNode)((YamlSequenceNode)spec["triggers"])[0];
            Assert.Equal("kafka", OpsDefinitions.Scalar(trigger, "type"));
            var metadata = (YamlMappingNode)trigger["metadata"];
            JsonElement root = settings.RootElement;
            Assert.Equal(root.GetProperty("Cloud").GetProperty("GroupId").GetString(), OpsDefinitions.Scalar(metadata, "consumerGroup"));
            Assert.Equal(root.GetProperty("Topics").GetProperty("Features").GetString(), OpsDefinitions.Scalar(metadata, "topic"));
            Assert.Equal(
                root.GetProperty("Kafka").GetProperty("BootstrapServers").GetString(),
                OpsDefinitions.Scalar(metadata, "bootstrapServers"));
        }
    }
}

using GanStream.Cli.Hosting;
using GanStream.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace GanStream.Tests.Cli;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ConfigurationPrecedenceTests
{
    [Fact]
    public void ConfigureSources_EverySource_LaterOverridesEarlier()
    {
        // A section no service reads, unique to this run, so the process-wide variables cannot affect other tests.
        string section = $"Probe{Guid.NewGuid():N}";
        string file = Path.Combine(TestPaths.CreateTemporaryFolder(), "ganstream.json");
        File.WriteAllText(
            file,
            $$"""
            {
              "Cloud": { "GroupId": "from-file" },
              "{{section}}": { "FileOnly": "file", "FileAndEnvironment": "file" }
            }
            """);
        var settings = new HostSettings { ConfigFile = file };
        settings.Set($"{section}:EnvironmentAndOption", "option");
        Environment.SetEnvironmentVariable($"GANSTREAM_{section}__FileAndEnvironment", "environment");
        Environment.SetEnvironmentVariable($"GANSTREAM_{section}__EnvironmentAndOption", "environment");
        try
        {
            var builder = new ConfigurationBuilder();
            ServiceHost.ConfigureSources(builder, settings);
            IConfigurationRoot configuration = builder.Build();

            Assert.Equal("ganstream.features", configuration["Topics:Features"]);
            Assert.Equal("from-file", configuration["Cloud:GroupId"]);
            Assert.Equal("file", configuration[$"{section}:FileOnly"]);
            Assert.Equal("environment", configuration[$"{section}:FileAndEnvironment"]);
            Assert.Equal("option", configuration[$"{section}:EnvironmentAndOption"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"GANSTREAM_{section}__FileAndEnvironment", null);
            Environment.SetEnvironmentVariable($"GANSTREAM_{section}__EnvironmentAndOption", null);
        }
    }
}

using System.CommandLine;
using GanStream.Cli.Hosting;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GanStream.Cli.Commands;

/// <summary><c>ganstream cloud</c>: one synthesis worker, until stopped.</summary>
internal static class CloudCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var groupId = new Option<string?>("--group-id")
        {
            Description = "Kafka consumer group shared by the workers (Cloud:GroupId). Default: ganstream-synth.",
        };
        var maxBatch = new Option<int?>("--max-batch")
        {
            Description = "Most frames per inference call (Cloud:MaxBatchSize). Default: 4.",
        };
        var maxDelay = new Option<double?>("--max-batch-delay-ms")
        {
            Description = "Longest wait, in milliseconds, for a batch to fill (Cloud:MaxBatchDelay). Default: 10.",
        };

        var command = new Command("cloud", "Run a synthesis worker: consume features, run the model, send results to the reply topics.");
        command.Options.Add(groupId);
        command.Options.Add(maxBatch);
        command.Options.Add(maxDelay);
        common.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            HostSettings settings = common.CreateSettings(parse);
            settings.Set("Cloud:GroupId", parse.GetValue(groupId));
            settings.Set("Cloud:MaxBatchSize", parse.GetValue(maxBatch));
            settings.Set("Cloud:MaxBatchDelay", parse.GetValue(maxDelay) is { } ms ? TimeSpan.FromMilliseconds(ms).ToString("c") : null);

            Preflight.CheckOpenCv();
            await using WebApplication app = ServiceHost.Build(settings, services => services.AddSynthesisWorker());
            if (ServiceHost.ModeOf(app.Configuration) == PipelineMode.EdgeOnly)
            {
                throw new CliException("--mode edge-only: in edge-only mode the edge synthesizes itself; run no worker.");
            }

            Preflight.CheckModel(app.Configuration["Models:Path"] ?? "models", app.Configuration["Models:DefaultModel"], "--model");
            Preflight.CheckBroker(app.Services.GetRequiredService<IOptions<KafkaOptions>>().Value);
            await ServiceHost.StartAsync(app, cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}

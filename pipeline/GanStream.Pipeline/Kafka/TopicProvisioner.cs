using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;

namespace GanStream.Pipeline.Kafka;

/// <summary>Creates the topics a service needs before its clients start.</summary>
public static class TopicProvisioner
{
    /// <summary>
    /// Creates each topic that does not exist yet, with <see cref="KafkaOptions.TopicPartitions"/> partitions.
    /// An existing topic is left as it is.
    /// </summary>
    public static async Task EnsureTopicsAsync(
        KafkaBootstrap bootstrap,
        KafkaOptions options,
        IEnumerable<string> topics,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topics);

        string[] names = topics.Distinct(StringComparer.Ordinal).ToArray();
        if (bootstrap.Embedded is { } cluster)
        {
            foreach (string topic in names)
            {
                cluster.CreateTopic(topic, options.TopicPartitions);
            }

            return;
        }

        var config = KafkaClientConfigFactory.Apply(new AdminClientConfig(), options, bootstrap.BootstrapServers);
        using IAdminClient admin = new AdminClientBuilder(config).Build();
        var specifications = names
            .Select(name => new TopicSpecification { Name = name, NumPartitions = options.TopicPartitions })
            .ToList();

        try
        {
            await admin.CreateTopicsAsync(specifications).WaitAsync(cancellationToken);
        }
        catch (KafkaException exception) when (exception.Error.Code == ErrorCode.Local_UnsupportedFeature)
        {
            // Brokers without the CreateTopics API (for example librdkafka's mock cluster in another process)
            // create a topic with their default partition count when its metadata is requested.
            KafkaLog.TopicAutoCreation(logger, string.Join(", ", names));
            RequestMetadata(admin, names);
        }
        catch (CreateTopicsException exception)
        {
            foreach (CreateTopicReport report in exception.Results)
            {
                if (report.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists)
                {
                    continue;
                }

                KafkaLog.TopicCreationFailed(logger, report.Topic, report.Error.Reason);
                throw;
            }
        }
    }

    private static void RequestMetadata(IAdminClient admin, IEnumerable<string> topics)
    {
        foreach (string topic in topics)
        {
            Metadata metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(30));
            TopicMetadata? found = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
            if (found is null || found.Error.IsError)
            {
                string reason = found?.Error.Reason ?? "missing from the metadata";
                throw new KafkaException(new Error(ErrorCode.UnknownTopicOrPart, $"Topic '{topic}' could not be created: {reason}."));
            }
        }
    }
}

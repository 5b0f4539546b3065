namespace GanStream.Cloud.Consuming;

/// <summary>Lag of one partition assigned to this consumer, in messages.</summary>
public sealed record PartitionLag(string Topic, int Partition, long Messages);

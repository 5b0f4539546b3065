using GanStream.Pipeline.Filtering;

namespace GanStream.Edge.Publishing;

/// <summary>
/// What the deployment mode decides for every camera of an edge: where features go, which filters run at the edge,
/// and which model the messages request (empty for the worker's default).
/// </summary>
public sealed record FeatureRoute(IFeatureSink Sink, FilterOptions Filters, string Model);

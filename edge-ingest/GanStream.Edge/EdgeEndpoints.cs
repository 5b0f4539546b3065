using GanStream.Edge.Cameras;
using GanStream.Edge.Viewer;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GanStream.Edge;

/// <summary>The edge's own HTTP endpoints, served next to <c>/metrics</c> and <c>/health/*</c>.</summary>
public static class EdgeEndpoints
{
    /// <summary>
    /// Maps the live viewer and the camera API, each unless switched off (<c>Edge:Viewer:Enabled</c>,
    /// <c>Edge:CameraApi:Enabled</c>). Maps nothing on a host that runs no edge.
    /// </summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        IServiceProvider services = endpoints.ServiceProvider;
        if (!services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(EdgeIngestService)))
        {
            return;
        }

        EdgeOptions options = services.GetRequiredService<IOptions<EdgeOptions>>().Value;
        if (options.Viewer.Enabled)
        {
            ViewerEndpoints.Map(endpoints);
        }

        if (options.CameraApi.Enabled)
        {
            CameraEndpoints.Map(endpoints);
        }
    }
}

# Edge ingest image. Build from the repository root:
#   docker build -f ops/docker/edge.Dockerfile -t ganstream-edge .
# The edge reads its model's scale factor from models/; samples/ holds the clip the compose stack streams.
# NOTE: written without a container engine at hand, so this image has not been built yet.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig Stream.sln ./
COPY schemas/ schemas/
COPY pipeline/ pipeline/
COPY edge-ingest/ edge-ingest/
COPY cloud-synth/ cloud-synth/
RUN dotnet publish pipeline/GanStream.Cli/GanStream.Cli.csproj -c Release -o /app --no-self-contained

# Ubuntu 24.04 names GTK 3 libgtk-3-0t64; OpenCV's native library (libOpenCvSharpExtern.so) links against it.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgtk-3-0t64 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
COPY models/ models/
COPY samples/ samples/
USER $APP_UID
EXPOSE 9464
ENTRYPOINT ["dotnet", "/app/ganstream.dll", "edge"]
CMD ["--metrics-url", "http://0.0.0.0:9464"]

# Synthesis worker image. Build from the repository root:
#   docker build -f ops/docker/cloud.Dockerfile --target cpu -t ganstream-cloud:cpu .
#   docker build -f ops/docker/cloud.Dockerfile --target gpu -t ganstream-cloud:gpu .
# The cpu target runs ONNX Runtime on the CPU; the gpu target adds CUDA 12 and cuDNN 9, which
# Microsoft.ML.OnnxRuntime.Gpu 1.32 needs for its CUDA execution provider.
# NOTE: written without a container engine at hand, so these images have not been built yet.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig Stream.sln ./
COPY schemas/ schemas/
COPY pipeline/ pipeline/
COPY edge-ingest/ edge-ingest/
COPY cloud-synth/ cloud-synth/
RUN dotnet publish pipeline/GanStream.Cli/GanStream.Cli.csproj -c Release -o /app --no-self-contained

# Ubuntu 24.04 names GTK 3 libgtk-3-0t64; OpenCV's native library (libOpenCvSharpExtern.so) links against it.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS cpu
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgtk-3-0t64 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
COPY models/ models/
USER $APP_UID
EXPOSE 9464
ENTRYPOINT ["dotnet", "/app/ganstream.dll", "cloud"]
CMD ["--metrics-url", "http://0.0.0.0:9464"]

# The .NET runtime comes from the ASP.NET image of the same Ubuntu release.
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS gpu
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgtk-3-0t64 ca-certificates libssl3t64 tzdata \
    && rm -rf /var/lib/apt/lists/*
COPY --from=mcr.microsoft.com/dotnet/aspnet:10.0 /usr/share/dotnet /usr/share/dotnet
ENV DOTNET_ROOT=/usr/share/dotnet \
    PATH="${PATH}:/usr/share/dotnet" \
    GANSTREAM_Inference__ExecutionProvider=Cuda
WORKDIR /app
COPY --from=build /app ./
COPY models/ models/
USER 1654
EXPOSE 9464
ENTRYPOINT ["dotnet", "/app/ganstream.dll", "cloud"]
CMD ["--metrics-url", "http://0.0.0.0:9464"]

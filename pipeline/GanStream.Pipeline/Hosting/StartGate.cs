namespace GanStream.Pipeline.Hosting;

/// <summary>
/// Holds back a stage until another stage of the same process is ready, for example the edge until the worker's
/// consumer has its partitions. Opening it twice is harmless.
/// </summary>
public sealed class StartGate
{
    private readonly TaskCompletionSource opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsOpen => opened.Task.IsCompleted;

    public void Open() => opened.TrySetResult();

    public Task WaitAsync(CancellationToken cancellationToken) => opened.Task.WaitAsync(cancellationToken);
}

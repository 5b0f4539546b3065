using BenchmarkDotNet.Running;

namespace GanStream.Benchmarks;

/// <summary>
/// Micro-benchmarks of the hot stages. Run in Release:
/// <c>dotnet run -c Release --project tests/GanStream.Benchmarks -- --filter '*'</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

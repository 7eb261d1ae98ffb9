using System.Diagnostics;
using System.Globalization;
using NuPlanBus.Domain.Numerics;
using NuPlanBus.Metrics.Numerics;
using NuPlanBus.TensorMath;
using TorchSharp;
using static TorchSharp.torch;

namespace NuPlanBus.Bench;

/// <summary>
/// Batched differentiation: the jerk filter (window 15, order 2, first derivative, 10 Hz) over many trajectories at once,
/// the metric engine's C# filter row by row against one <see cref="SavitzkyGolayTensor"/> call on the best device (CUDA
/// where present). Both run in the same process on the same data; the line's rate is the tensor one, the note gives
/// both and their ratio. On the CPU libtorch is held to one thread, like the loop.
/// </summary>
public sealed class BatchedDerivativeBenchmark(int trajectories, int samples) : IBenchmark
{
    private const int Window = EgoSignals.JerkWindow;
    private const double Delta = 0.1;

    public string Group => "tensor";

    public string Name => string.Create(CultureInfo.InvariantCulture, $"tensor/jerk of {trajectories:N0} trajectories x {samples} samples, batched");

    public BenchmarkResult Run(BenchmarkSettings settings)
    {
        var device = TensorDevice.Best();
        if (device.type == DeviceType.CPU)
        {
            set_num_threads(1);
        }
        var random = new Random(settings.Seed);
        var data = new double[trajectories * samples];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = 8 * Math.Sin(0.04 * (i % samples)) + 0.05 * random.NextDouble();
        }

        double[] Loop()
        {
            var output = new double[data.Length];
            for (var row = 0; row < trajectories; row++)
            {
                SavitzkyGolay.Filter(data.AsSpan(row * samples, samples), Window, 2, output.AsSpan(row * samples, samples), deriv: 1, delta: Delta);
            }
            return output;
        }

        double[] Batched()
        {
            using var scope = NewDisposeScope();
            var batch = tensor(data, [trajectories, samples], dtype: ScalarType.Float64).to(device);
            var jerk = SavitzkyGolayTensor.SavitzkyGolay(batch, Window, 2, deriv: 1, delta: Delta);
            return jerk.cpu().contiguous().data<double>().ToArray();
        }

        // Warm up both (JIT, libtorch initialisation, kernel cache), then time a few repetitions of each.
        var reference = Loop();
        var batched = Batched();
        var maxDifference = reference.Zip(batched, (a, b) => Math.Abs(a - b)).Max();
        const int repetitions = 5;
        var loopTime = Time(Loop, repetitions);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var tensorTime = Time(Batched, repetitions);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        return new BenchmarkResult(Name, trajectories * repetitions, tensorTime * repetitions, cpu, allocated,
        [
            string.Create(CultureInfo.InvariantCulture,
                $"engine C# loop {loopTime.TotalMilliseconds:F1} ms, tensor batch on {device.type.ToString().ToLowerInvariant()} {tensorTime.TotalMilliseconds:F1} ms " +
                $"(copies included) per {trajectories:N0} trajectories: tensor/loop time ratio {tensorTime / loopTime:F2}"),
            string.Create(CultureInfo.InvariantCulture, $"largest difference between the two: {maxDifference:E1}"),
        ])
        { Unit = "trajectory" };
    }

    /// <summary>The median of <paramref name="repetitions"/> runs.</summary>
    private static TimeSpan Time(Func<double[]> work, int repetitions)
    {
        var samples = new List<TimeSpan>();
        for (var i = 0; i < repetitions; i++)
        {
            var started = Stopwatch.GetTimestamp();
            GC.KeepAlive(work());
            samples.Add(Stopwatch.GetElapsedTime(started));
        }
        samples.Sort();
        return samples[samples.Count / 2];
    }
}

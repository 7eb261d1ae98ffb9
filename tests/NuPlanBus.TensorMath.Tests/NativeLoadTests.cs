using TorchSharp;

namespace NuPlanBus.TensorMath.Tests;

/// <summary>libtorch loads from the build output (on Debian 12 only after build/TorchSharpNativeFix.targets ran).</summary>
public class NativeLoadTests
{
    [Fact]
    public void Libtorch_loads_and_the_best_device_is_usable()
    {
        using var t = torch.zeros(3, dtype: torch.float64, device: TensorDevice.Best());
        Assert.Equal(0.0, t.sum().item<double>());
        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, TensorDevice.Best().type);
    }
}

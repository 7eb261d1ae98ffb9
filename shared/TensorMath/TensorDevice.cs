using TorchSharp;

namespace NuPlanBus.TensorMath;

/// <summary>Picks the device tensors are created on.</summary>
public static class TensorDevice
{
    /// <summary>CUDA when libtorch reports a usable GPU, else the CPU.</summary>
    /// <exception cref="InvalidOperationException">libtorch could not be loaded (with the likely fix in the message).</exception>
    public static torch.Device Best()
    {
        try
        {
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }
        catch (TypeInitializationException e)
        {
            throw new InvalidOperationException(
                "libtorch could not be loaded. On Debian 12 and other hosts whose libstdc++ lacks GLIBCXX_3.4.32, the " +
                "project that builds this output folder must import build/TorchSharpNativeFix.targets (it patches " +
                "libLibTorchSharp.so after the copy). See the inner exception for TorchSharp's load trace.", e);
        }
    }

    public static torch.Device Cpu => torch.CPU;
}

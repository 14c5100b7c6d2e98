using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace AuthServer.Accounts;

/// <summary>
/// <see cref="PasswordHashingSettings.MaxConcurrent"/> threads that do nothing but hash passwords,
/// each at the nice value <see cref="PasswordHashingSettings.Nice"/> (Linux; elsewhere at the
/// normal priority).
/// </summary>
internal sealed class PasswordHashingThreads : IDisposable
{
    private readonly BlockingCollection<Action> _work = [];

    public PasswordHashingThreads(IOptions<PasswordHashingSettings> settings)
    {
        for (var i = 0; i < settings.Value.MaxConcurrent; i++)
        {
            new Thread(() => Work(settings.Value.Nice)) { IsBackground = true, Name = "Password hashing" }.Start();
        }
    }

    /// <summary>Runs <paramref name="hash"/> on a hashing thread and waits for it.</summary>
    public T Run<T>(Func<T> hash)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                done.SetResult(hash());
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        });
        return done.Task.GetAwaiter().GetResult();
    }

    private void Work(int nice)
    {
        if (nice > 0 && OperatingSystem.IsLinux())
        {
            // Note: on Linux a thread is a task with a nice value of its own; raising it needs no privilege.
            _ = SetPriority(PrioProcess, GetThreadId(), nice);
        }

        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }

    public void Dispose() => _work.CompleteAdding();

    private const int PrioProcess = 0;

    // Note: DllImport, as LibraryImport would need unsafe code for these two blittable calls.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);
#pragma warning restore SYSLIB1054
}

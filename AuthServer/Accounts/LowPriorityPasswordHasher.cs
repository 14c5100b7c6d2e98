using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using AuthServer.Data;
using AuthServer.Options;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AuthServer.Accounts;

/// <summary>
/// Identity's password hasher, run on threads of its own at a lower scheduling priority
/// (<see cref="PasswordHashingSettings.Nice"/>): while passwords are being verified, the cores
/// still go first to refreshes, API calls and the answers to refused requests, and when nothing
/// else runs the hashes get every core. The caller waits for the result.
/// </summary>
internal sealed class LowPriorityPasswordHasher(PasswordHashingThreads threads, IOptions<PasswordHasherOptions> options)
    : IPasswordHasher<ApplicationUser>
{
    private readonly PasswordHasher<ApplicationUser> _hasher = new(options);

    public string HashPassword(ApplicationUser user, string password)
        => threads.Run(() => _hasher.HashPassword(user, password));

    public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
        => threads.Run(() => _hasher.VerifyHashedPassword(user, hashedPassword, providedPassword));
}

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

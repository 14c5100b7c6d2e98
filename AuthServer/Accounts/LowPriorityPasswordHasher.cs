using AuthServer.Data;
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

using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Handlers;

/// <summary>
/// The identity token's <c>at_hash</c> and <c>c_hash</c> (OpenID Connect Core 1.0 §3.1.3.6 and
/// §3.3.2.11): the left half of the SHA-2 digest of the ASCII access token (or code), with the
/// SHA-2 of the signing key's algorithm, base64url-encoded. In place of OpenIddict's
/// <c>AttachTokenDigests</c>, which does the same but asks <see cref="CryptoConfig"/> for the hash
/// algorithm by name on every call: a lookup that cost three times the hash itself.
/// </summary>
internal sealed class AttachTokenHashes : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireIdentityTokenGenerated>()
            .UseSingletonHandler<AttachTokenHashes>()
            .SetOrder(OpenIddictServerHandlers.AttachTokenDigests.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    // Note: the names a signing credential's digest or algorithm goes by, for each SHA-2 size;
    // the first size that either matches is the one used, as in OpenIddict.
    private static readonly (HashAlgorithmName Hash, string[] Names)[] Hashes =
    [
        (HashAlgorithmName.SHA256, [
            SecurityAlgorithms.Sha256, SecurityAlgorithms.Sha256Digest,
            SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha256Signature,
            SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha256Signature,
            SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha256Signature,
            SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha256Signature]),
        (HashAlgorithmName.SHA384, [
            SecurityAlgorithms.Sha384, SecurityAlgorithms.Sha384Digest,
            SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha384Signature,
            SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha384Signature,
            SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha384Signature,
            SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha384Signature]),
        (HashAlgorithmName.SHA512, [
            SecurityAlgorithms.Sha512, SecurityAlgorithms.Sha512Digest,
            SecurityAlgorithms.EcdsaSha512, SecurityAlgorithms.EcdsaSha512Signature,
            SecurityAlgorithms.HmacSha512, SecurityAlgorithms.HmacSha512Signature,
            SecurityAlgorithms.RsaSha512, SecurityAlgorithms.RsaSha512Signature,
            SecurityAlgorithms.RsaSsaPssSha512, SecurityAlgorithms.RsaSsaPssSha512Signature]),
    ];

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        var principal = context.IdentityTokenPrincipal
            ?? throw new InvalidOperationException("The identity token principal is missing.");
        if (string.IsNullOrEmpty(context.AccessToken) && string.IsNullOrEmpty(context.AuthorizationCode))
        {
            return ValueTask.CompletedTask;
        }

        // Note: the identity token is signed with the first asymmetric signing key.
        var credentials = context.Options.SigningCredentials.Find(credentials => credentials.Key is AsymmetricSecurityKey)
            ?? throw new InvalidOperationException("No asymmetric signing key is registered.");
        var hash = HashOf(credentials);
        if (!string.IsNullOrEmpty(context.AccessToken))
        {
            principal.SetClaim(Claims.AccessTokenHash, LeftHalfOfDigest(hash, context.AccessToken));
        }

        if (!string.IsNullOrEmpty(context.AuthorizationCode))
        {
            principal.SetClaim(Claims.CodeHash, LeftHalfOfDigest(hash, context.AuthorizationCode));
        }

        return ValueTask.CompletedTask;
    }

    private static HashAlgorithmName HashOf(SigningCredentials credentials)
    {
        foreach (var (hash, names) in Hashes)
        {
            if (names.Contains(credentials.Digest) || names.Contains(credentials.Algorithm))
            {
                return hash;
            }
        }

        throw new InvalidOperationException($"The signing algorithm {credentials.Algorithm} has no SHA-2 digest for at_hash.");
    }

    private static string LeftHalfOfDigest(HashAlgorithmName hash, string token)
    {
        var ascii = Encoding.ASCII.GetBytes(token);
        var digest = hash == HashAlgorithmName.SHA256 ? SHA256.HashData(ascii)
            : hash == HashAlgorithmName.SHA384 ? SHA384.HashData(ascii)
            : SHA512.HashData(ascii);
        return Base64UrlEncoder.Encode(digest, 0, digest.Length / 2);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthRefresh.Shared;

public static class OptionsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to a configuration section and validates it (data
    /// annotations and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>) at
    /// start, so that a bad setting stops the app with a message naming the key.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class
        => services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}

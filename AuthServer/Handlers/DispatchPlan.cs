using System.Collections.Concurrent;
using OpenIddict.Server;

namespace AuthServer.Handlers;

/// <summary>
/// For each OpenIddict server event, the handlers registered for it in OpenIddict's order, each
/// with its filters (<see cref="IndexedDispatcher"/>). OpenIddict's own dispatcher walks every
/// handler descriptor of the server (several hundred, most for endpoints this server does not
/// expose) on every event, and resolves each filter and handler from the request's container;
/// here the walk is done once per set of server options (the key ring reloads them), and a
/// singleton handler or filter is resolved once, the first time it is needed.
/// </summary>
internal sealed class DispatchPlan(IServiceProvider root, IServiceCollection services)
{
    private readonly ConcurrentDictionary<Type, object> _steps = new();

    // Note: what GetService resolves is the last registration of a service type.
    private readonly Lazy<Dictionary<Type, ServiceLifetime>> _lifetimes = new(() => services
        .Where(service => !service.IsKeyedService)
        .GroupBy(service => service.ServiceType)
        .ToDictionary(group => group.Key, group => group.Last().Lifetime));

    public DispatchStep<TContext>[] For<TContext>(OpenIddictServerOptions options)
        where TContext : OpenIddictServerEvents.BaseContext
    {
        if (_steps.TryGetValue(typeof(TContext), out var built) && built is Steps<TContext> steps
            && ReferenceEquals(steps.Source, options.Handlers))
        {
            return steps.Items;
        }

        var items = options.Handlers
            .Where(descriptor => descriptor.ContextType == typeof(TContext))
            .Select(descriptor => new DispatchStep<TContext>(this, descriptor))
            .ToArray();
        _steps[typeof(TContext)] = new Steps<TContext>(options.Handlers, items);
        return items;
    }

    /// <summary>The root container's instance where <paramref name="type"/> is a singleton; otherwise null.</summary>
    internal object? Singleton(Type type)
        => _lifetimes.Value.TryGetValue(type, out var lifetime) && lifetime == ServiceLifetime.Singleton
            ? root.GetService(type)
            : null;

    private sealed record Steps<TContext>(object Source, DispatchStep<TContext>[] Items)
        where TContext : OpenIddictServerEvents.BaseContext;
}

/// <summary>One handler of an event and its filters, as <see cref="DispatchPlan"/> keeps them.</summary>
internal sealed class DispatchStep<TContext> where TContext : OpenIddictServerEvents.BaseContext
{
    private readonly Service<IOpenIddictServerHandler<TContext>> _handler;
    private readonly Service<IOpenIddictServerHandlerFilter<TContext>>[] _filters;

    public DispatchStep(DispatchPlan plan, OpenIddictServerHandlerDescriptor descriptor)
    {
        _handler = new(plan, descriptor.ServiceDescriptor.ServiceType,
            descriptor.ServiceDescriptor.ImplementationInstance as IOpenIddictServerHandler<TContext>);
        _filters = [.. descriptor.FilterTypes.Select(type => new Service<IOpenIddictServerHandlerFilter<TContext>>(plan, type, null))];
    }

    public int FilterCount => _filters.Length;

    public IOpenIddictServerHandlerFilter<TContext> Filter(int index, IServiceProvider request) => _filters[index].Get(request);

    public IOpenIddictServerHandler<TContext> Handler(IServiceProvider request) => _handler.Get(request);

    /// <summary>
    /// A handler or filter: the instance the descriptor holds, or the singleton kept here once it
    /// was first asked for, or else the request's own.
    /// </summary>
    private sealed class Service<T>(DispatchPlan plan, Type type, T? instance) where T : class
    {
        private T? _kept = instance;
        private bool _looked = instance is not null;

        public T Get(IServiceProvider request)
        {
            if (_kept is { } kept)
            {
                return kept;
            }

            if (!_looked)
            {
                _kept = plan.Singleton(type) as T;
                _looked = true;
                if (_kept is { } singleton)
                {
                    return singleton;
                }
            }

            return request.GetService(type) as T
                ?? throw new InvalidOperationException($"The OpenIddict server {type} is not registered, or is not a {typeof(T).Name} of {typeof(TContext).Name}.");
        }
    }
}

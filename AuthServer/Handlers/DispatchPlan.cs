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
    private readonly DispatchPlan _plan;
    private readonly Type[] _filterTypes;
    private readonly IOpenIddictServerHandlerFilter<TContext>?[] _filters;
    private readonly bool[] _filterLooked;
    private IOpenIddictServerHandler<TContext>? _handler;
    private bool _handlerLooked;

    public DispatchStep(DispatchPlan plan, OpenIddictServerHandlerDescriptor descriptor)
    {
        _plan = plan;
        HandlerType = descriptor.ServiceDescriptor.ServiceType;
        _handler = descriptor.ServiceDescriptor.ImplementationInstance as IOpenIddictServerHandler<TContext>;
        _handlerLooked = _handler is not null;
        _filterTypes = [.. descriptor.FilterTypes];
        _filters = new IOpenIddictServerHandlerFilter<TContext>?[_filterTypes.Length];
        _filterLooked = new bool[_filterTypes.Length];
    }

    public Type HandlerType { get; }

    public int FilterCount => _filterTypes.Length;

    /// <summary>Filter <paramref name="index"/>: the singleton kept here, or the request's instance.</summary>
    public IOpenIddictServerHandlerFilter<TContext> Filter(int index, IServiceProvider request)
    {
        if (_filters[index] is { } kept)
        {
            return kept;
        }

        var type = _filterTypes[index];
        if (!_filterLooked[index])
        {
            _filters[index] = _plan.Singleton(type) as IOpenIddictServerHandlerFilter<TContext>;
            _filterLooked[index] = true;
            if (_filters[index] is { } singleton)
            {
                return singleton;
            }
        }

        return request.GetService(type) as IOpenIddictServerHandlerFilter<TContext>
            ?? throw new InvalidOperationException($"The filter {type} of an OpenIddict server handler is not registered, or is not a filter of {typeof(TContext).Name}.");
    }

    /// <summary>The handler: the instance or singleton kept here, or the request's instance.</summary>
    public IOpenIddictServerHandler<TContext> Handler(IServiceProvider request)
    {
        if (_handler is { } kept)
        {
            return kept;
        }

        if (!_handlerLooked)
        {
            _handler = _plan.Singleton(HandlerType) as IOpenIddictServerHandler<TContext>;
            _handlerLooked = true;
            if (_handler is { } singleton)
            {
                return singleton;
            }
        }

        return request.GetService(HandlerType) as IOpenIddictServerHandler<TContext>
            ?? throw new InvalidOperationException($"The OpenIddict server handler {HandlerType} is not registered, or does not handle {typeof(TContext).Name}.");
    }
}

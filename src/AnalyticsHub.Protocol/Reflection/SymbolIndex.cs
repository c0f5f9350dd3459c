using Google.Protobuf.Reflection;

namespace AnalyticsHub.Protocol.Reflection;

/// <summary>Finds the file that defines a fully-qualified symbol, across the served services' files and imports.</summary>
internal sealed class SymbolIndex
{
    private readonly Dictionary<string, FileDescriptor> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MessageDescriptor> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, int Number), FileDescriptor> _extensions = [];

    public static SymbolIndex Build(IEnumerable<ServiceDescriptor> services)
    {
        var index = new SymbolIndex();
        foreach (var service in services)
        {
            foreach (var file in WithDependencies(service.File))
            {
                index.AddFile(file);
            }
        }

        return index;
    }

    /// <summary>The file first (clients read the answer's first entry as the one asked for), then its transitive imports, each once.</summary>
    public static IEnumerable<FileDescriptor> WithDependencies(FileDescriptor file)
    {
        var ordered = new List<FileDescriptor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Visit(file);
        return ordered;

        void Visit(FileDescriptor current)
        {
            if (!seen.Add(current.Name))
            {
                return;
            }

            ordered.Add(current);
            foreach (var dependency in current.Dependencies)
            {
                Visit(dependency);
            }
        }
    }

    public FileDescriptor? FindFile(string name) => _files.GetValueOrDefault(name);

    public FileDescriptor? FindFileContainingSymbol(string symbol) => _symbols.GetValueOrDefault(symbol.TrimStart('.'));

    public MessageDescriptor? FindMessage(string fullName) => _messages.GetValueOrDefault(fullName.TrimStart('.'));

    public FileDescriptor? FindFileContainingExtension(string containingType, int number) =>
        _extensions.GetValueOrDefault((containingType.TrimStart('.'), number));

    public IEnumerable<int> ExtensionNumbersOf(string fullName) =>
        _extensions.Keys.Where(k => k.Type == fullName).Select(k => k.Number).Order();

    private void AddFile(FileDescriptor file)
    {
        if (!_files.TryAdd(file.Name, file))
        {
            return;
        }

        foreach (var service in file.Services)
        {
            _symbols[service.FullName] = file;
            foreach (var method in service.Methods)
            {
                _symbols[method.FullName] = file;
            }
        }

        foreach (var message in file.MessageTypes)
        {
            AddMessage(file, message);
        }

        foreach (var enumType in file.EnumTypes)
        {
            _symbols[enumType.FullName] = file;
        }

        foreach (var extension in file.Extensions.UnorderedExtensions)
        {
            AddExtension(file, extension);
        }
    }

    private void AddMessage(FileDescriptor file, MessageDescriptor message)
    {
        _symbols[message.FullName] = file;
        _messages[message.FullName] = message;
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            _symbols[field.FullName] = file;
        }

        foreach (var oneof in message.Oneofs)
        {
            _symbols[oneof.FullName] = file;
        }

        foreach (var nested in message.NestedTypes)
        {
            AddMessage(file, nested);
        }

        foreach (var enumType in message.EnumTypes)
        {
            _symbols[enumType.FullName] = file;
        }

        foreach (var extension in message.Extensions.UnorderedExtensions)
        {
            AddExtension(file, extension);
        }
    }

    private void AddExtension(FileDescriptor file, FieldDescriptor extension)
    {
        _symbols[extension.FullName] = file;
        if (extension.ExtendeeType is { } extendee)
        {
            _extensions[(extendee.FullName, extension.FieldNumber)] = file;
        }
    }
}

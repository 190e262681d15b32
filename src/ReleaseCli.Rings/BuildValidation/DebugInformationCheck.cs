namespace ReleaseCli.Rings.BuildValidation;

/// <summary>A check over debug information: the debug directory of PE files, and PDBs.</summary>
internal abstract class DebugInformationCheck : DropCheck
{
    public sealed override bool NeedsContent(ValidationItem item, ItemKind kind, long length) => kind is ItemKind.PortableExecutable or ItemKind.Pdb;

    public sealed override ValueTask InspectAsync(ItemContent content, CancellationToken cancellationToken)
    {
        if (content.Kind == ItemKind.Pdb)
        {
            InspectPdb(content);
        }
        else if (content.PortableExecutableLayout is not null)
        {
            // A file named like a PE file that is not one is the signing check's finding; it has no debug directory to read.
            InspectPortableExecutable(content);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A PE file whose headers are those of a PE image.</summary>
    protected abstract void InspectPortableExecutable(ItemContent content);

    protected abstract void InspectPdb(ItemContent content);
}

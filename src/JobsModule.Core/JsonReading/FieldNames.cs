using System.Text;
using System.Text.Json;

namespace JobsModule.JsonReading;

/// <summary>
/// The field names an adapter documents, compared with a JSON property's name as UTF-8, so that telling
/// a documented field from an extra one allocates nothing (a name becomes a string only when it is kept).
/// </summary>
internal sealed class FieldNames
{
    private readonly byte[][] _names;

    public FieldNames(string[] names)
    {
        _names = new byte[names.Length][];
        for (var i = 0; i < names.Length; i++)
        {
            _names[i] = Encoding.UTF8.GetBytes(names[i]);
        }
    }

    public bool Contains(JsonProperty property)
    {
        foreach (var name in _names)
        {
            if (property.NameEquals(name))
            {
                return true;
            }
        }

        return false;
    }
}

using Gateway.Nfs.V3;
using Gateway.Rpc;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.Tests.Support;

internal sealed partial class NfsClient
{
    public async Task<AttrReply> GetAttrAsync(byte[] fh) =>
        Xdr.Parse(await Nfs(Nfs3Procedure.GETATTR, (ref XdrWriter w) => w.WriteOpaque(fh)), static (ref XdrReader r) =>
        {
            var s = Wire.Status(ref r);
            return new AttrReply(s, s == NFS3_OK ? Wire.Fattr(ref r) : null);
        });

    public async Task<WccReply> SetAttrAsync(byte[] fh, Sattr attributes, Time3? guard = null) =>
        Xdr.Parse(await Nfs(Nfs3Procedure.SETATTR, (ref XdrWriter w) =>
        {
            w.WriteOpaque(fh);
            attributes.Write(ref w);
            w.WriteBool(guard is not null);
            if (guard is not null)
            {
                w.WriteUInt32(guard.Seconds);
                w.WriteUInt32(guard.Nanos);
            }
        }), static (ref XdrReader r) => new WccReply(Wire.Status(ref r), Wire.Wcc(ref r)));

    public async Task<LookupReply> LookupAsync(byte[] dir, string name) => ParseLookup(await Nfs(Nfs3Procedure.LOOKUP, (ref XdrWriter w) => Wire.DirOp(ref w, dir, name)));

    public async Task<LookupReply> LookupRawAsync(byte[] dir, byte[] name) => ParseLookup(await Nfs(Nfs3Procedure.LOOKUP, (ref XdrWriter w) => Wire.DirOp(ref w, dir, name)));

    private static LookupReply ParseLookup(byte[] results) => Xdr.Parse(results, static (ref XdrReader r) =>
    {
        var s = Wire.Status(ref r);
        if (s != NFS3_OK) return new LookupReply(s, null, null, Wire.PostOpAttr(ref r));
        return new LookupReply(s, Wire.Handle(ref r), Wire.PostOpAttr(ref r), Wire.PostOpAttr(ref r));
    });

    public async Task<AccessReply> AccessAsync(byte[] fh, uint access) =>
        Xdr.Parse(await Nfs(Nfs3Procedure.ACCESS, (ref XdrWriter w) =>
        {
            w.WriteOpaque(fh);
            w.WriteUInt32(access);
        }), static (ref XdrReader r) =>
        {
            var s = Wire.Status(ref r);
            var a = Wire.PostOpAttr(ref r);
            return new AccessReply(s, a, s == NFS3_OK ? r.ReadUInt32() : 0);
        });

    public async Task<ReadLinkReply> ReadLinkAsync(byte[] fh) =>
        Xdr.Parse(await Nfs(Nfs3Procedure.READLINK, (ref XdrWriter w) => w.WriteOpaque(fh)), static (ref XdrReader r) =>
        {
            var s = Wire.Status(ref r);
            var a = Wire.PostOpAttr(ref r);
            return new ReadLinkReply(s, a, s == NFS3_OK ? r.ReadString(4096) : null);
        });

    public async Task<ReadReply> ReadAsync(byte[] fh, ulong offset, uint count) =>
        Xdr.Parse(await Nfs(Nfs3Procedure.READ, (ref XdrWriter w) =>
        {
            w.WriteOpaque(fh);
            w.WriteUInt64(offset);
            w.WriteUInt32(count);
        }), static (ref XdrReader r) =>
        {
            var s = Wire.Status(ref r);
            var a = Wire.PostOpAttr(ref r);
            if (s != NFS3_OK) return new ReadReply(s, a, 0, false, []);
            var n = r.ReadUInt32();
            var eof = r.ReadBool();
            var data = r.ReadOpaque(int.MaxValue).ToArray();
            Assert.Equal(n, (uint)data.Length);
            return new ReadReply(s, a, n, eof, data);
        });

    public async Task<WriteReply> WriteAsync(byte[] fh, ulong offset, byte[] data, uint stable = 2, uint? count = null) =>
        Xdr.Parse(await Nfs(Nfs3Procedure.WRITE, (ref XdrWriter w) =>
        {
            w.WriteOpaque(fh);
            w.WriteUInt64(offset);
            w.WriteUInt32(count ?? (uint)data.Length);
            w.WriteUInt32(stable);
            w.WriteOpaque(data);
        }), static (ref XdrReader r) =>
        {
            var s = Wire.Status(ref r);
            var wcc = Wire.Wcc(ref r);
            if (s != NFS3_OK) return new WriteReply(s, wcc, 0, 0, 0);
            return new WriteReply(s, wcc, r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt64());
        });

    /// <summary>mode: 0 UNCHECKED, 1 GUARDED (with attributes), 2 EXCLUSIVE (with verifier).</summary>
    public async Task<CreateReply> CreateAsync(byte[] dir, string name, uint mode = 1, Sattr? attributes = null, ulong verifier = 0, uint? xid = null) =>
        ParseCreate(await Nfs(Nfs3Procedure.CREATE, (ref XdrWriter w) =>
        {
            Wire.DirOp(ref w, dir, name);
            w.WriteUInt32(mode);
            if (mode == 2) w.WriteUInt64(verifier);
            else (attributes ?? Sattr.None).Write(ref w);
        }, xid));

    public async Task<CreateReply> CreateRawNameAsync(byte[] dir, byte[] name) =>
        ParseCreate(await Nfs(Nfs3Procedure.CREATE, (ref XdrWriter w) =>
        {
            Wire.DirOp(ref w, dir, name);
            w.WriteUInt32(1);
            Sattr.None.Write(ref w);
        }));

    public async Task<CreateReply> MkdirAsync(byte[] dir, string name, Sattr? attributes = null) =>
        ParseCreate(await Nfs(Nfs3Procedure.MKDIR, (ref XdrWriter w) =>
        {
            Wire.DirOp(ref w, dir, name);
            (attributes ?? Sattr.None).Write(ref w);
        }));

    public async Task<CreateReply> SymlinkAsync(byte[] dir, string name, string target) =>
        ParseCreate(await Nfs(Nfs3Procedure.SYMLINK, (ref XdrWriter w) =>
        {
            Wire.DirOp(ref w, dir, name);
            Sattr.None.Write(ref w);
            w.WriteString(target);
        }));

    /// <summary>type: ftype3; device numbers are sent for NF3CHR/NF3BLK, attributes for CHR/BLK/SOCK/FIFO.</summary>
    public async Task<CreateReply> MknodAsync(byte[] dir, string name, uint type, Sattr? attributes = null, uint major = 0, uint minor = 0) =>
        ParseCreate(await Nfs(Nfs3Procedure.MKNOD, (ref XdrWriter w) =>
        {
            Wire.DirOp(ref w, dir, name);
            w.WriteUInt32(type);
            if (type is 3 or 4 or 6 or 7) (attributes ?? Sattr.None).Write(ref w);
            if (type is 3 or 4)
            {
                w.WriteUInt32(major);
                w.WriteUInt32(minor);
            }
        }));

    private static CreateReply ParseCreate(byte[] results) => Xdr.Parse(results, static (ref XdrReader r) =>
    {
        var s = Wire.Status(ref r);
        if (s != NFS3_OK) return new CreateReply(s, null, null, Wire.Wcc(ref r));
        return new CreateReply(s, Wire.PostOpFh(ref r), Wire.PostOpAttr(ref r), Wire.Wcc(ref r));
    });

    public async Task<WccReply> RemoveAsync(byte[] dir, string name, uint? xid = null) => ParseWcc(await Nfs(Nfs3Procedure.REMOVE, (ref XdrWriter w) => Wire.DirOp(ref w, dir, name), xid));

    public async Task<WccReply> RmdirAsync(byte[] dir, string name) => ParseWcc(await Nfs(Nfs3Procedure.RMDIR, (ref XdrWriter w) => Wire.DirOp(ref w, dir, name)));

    private static WccReply ParseWcc(byte[] results) => Xdr.Parse(results, static (ref XdrReader r) => new WccReply(Wire.Status(ref r), Wire.Wcc(ref r)));

    public async Task<RenameReply> RenameAsync(byte[] fromDir, string fromName, byte[] toDir, string toName) =>
        Xdr.Parse(await Nfs(Nfs3Procedure.RENAME, (ref XdrWriter w) =>
        {
            Wire.DirOp(ref w, fromDir, fromName);
            Wire.DirOp(ref w, toDir, toName);
        }), static (ref XdrReader r) => new RenameReply(Wire.Status(ref r), Wire.Wcc(ref r), Wire.Wcc(ref r)));

    public async Task<LinkReply> LinkAsync(byte[] file, byte[] dir, string name) =>
        Xdr.Parse(await Nfs(Nfs3Procedure.LINK, (ref XdrWriter w) =>
        {
            w.WriteOpaque(file);
            Wire.DirOp(ref w, dir, name);
        }), static (ref XdrReader r) => new LinkReply(Wire.Status(ref r), Wire.PostOpAttr(ref r), Wire.Wcc(ref r)));

    public async Task<ReadDirReply> ReadDirAsync(byte[] dir, ulong cookie = 0, ulong verifier = 0, uint count = 8192) =>
        ParseReadDir(await Nfs(Nfs3Procedure.READDIR, (ref XdrWriter w) =>
        {
            w.WriteOpaque(dir);
            w.WriteUInt64(cookie);
            w.WriteUInt64(verifier);
            w.WriteUInt32(count);
        }), plus: false);

    public async Task<ReadDirReply> ReadDirPlusAsync(byte[] dir, ulong cookie = 0, ulong verifier = 0, uint dircount = 8192, uint maxcount = 32768) =>
        ParseReadDir(await Nfs(Nfs3Procedure.READDIRPLUS, (ref XdrWriter w) =>
        {
            w.WriteOpaque(dir);
            w.WriteUInt64(cookie);
            w.WriteUInt64(verifier);
            w.WriteUInt32(dircount);
            w.WriteUInt32(maxcount);
        }), plus: true);

    private static ReadDirReply ParseReadDir(byte[] results, bool plus)
    {
        var reader = new XdrReader(results);
        var s = Wire.Status(ref reader);
        var dirAttributes = Wire.PostOpAttr(ref reader);
        if (s != NFS3_OK)
        {
            reader.EnsureFullyConsumed();
            return new ReadDirReply(s, dirAttributes, 0, [], false);
        }
        var verifier = reader.ReadUInt64();
        var entries = new List<DirEntry3>();
        while (reader.ReadBool())
        {
            var fileid = reader.ReadUInt64();
            var name = reader.ReadString(int.MaxValue);
            var cookie = reader.ReadUInt64();
            Fattr? attributes = null;
            byte[]? handle = null;
            if (plus)
            {
                attributes = Wire.PostOpAttr(ref reader);
                handle = Wire.PostOpFh(ref reader);
            }
            entries.Add(new DirEntry3(fileid, name, cookie, attributes, handle));
        }
        var eof = reader.ReadBool();
        reader.EnsureFullyConsumed();
        return new ReadDirReply(s, dirAttributes, verifier, entries, eof);
    }

    public async Task<FsStatReply> FsStatAsync(byte[] fh) =>
        Xdr.Parse(await Nfs(Nfs3Procedure.FSSTAT, (ref XdrWriter w) => w.WriteOpaque(fh)), static (ref XdrReader r) =>
        {
            var s = Wire.Status(ref r);
            var a = Wire.PostOpAttr(ref r);
            if (s != NFS3_OK) return new FsStatReply(s, a, 0, 0, 0, 0, 0, 0, 0);
            return new FsStatReply(s, a, r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt32());
        });

    public async Task<FsInfoReply> FsInfoAsync(byte[] fh) =>
        Xdr.Parse(await Nfs(Nfs3Procedure.FSINFO, (ref XdrWriter w) => w.WriteOpaque(fh)), static (ref XdrReader r) =>
        {
            var s = Wire.Status(ref r);
            var a = Wire.PostOpAttr(ref r);
            if (s != NFS3_OK) return new FsInfoReply(s, a, 0, 0, 0, 0, 0, 0, 0, 0, null, 0);
            return new FsInfoReply(s, a, r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(),
                r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt64(), Wire.Time(ref r), r.ReadUInt32());
        });

    public async Task<PathConfReply> PathConfAsync(byte[] fh) =>
        Xdr.Parse(await Nfs(Nfs3Procedure.PATHCONF, (ref XdrWriter w) => w.WriteOpaque(fh)), static (ref XdrReader r) =>
        {
            var s = Wire.Status(ref r);
            var a = Wire.PostOpAttr(ref r);
            if (s != NFS3_OK) return new PathConfReply(s, a, 0, 0, false, false, false, false);
            return new PathConfReply(s, a, r.ReadUInt32(), r.ReadUInt32(), r.ReadBool(), r.ReadBool(), r.ReadBool(), r.ReadBool());
        });

    public async Task<CommitReply> CommitAsync(byte[] fh, ulong offset = 0, uint count = 0) =>
        Xdr.Parse(await Nfs(Nfs3Procedure.COMMIT, (ref XdrWriter w) =>
        {
            w.WriteOpaque(fh);
            w.WriteUInt64(offset);
            w.WriteUInt32(count);
        }), static (ref XdrReader r) =>
        {
            var s = Wire.Status(ref r);
            var wcc = Wire.Wcc(ref r);
            return new CommitReply(s, wcc, s == NFS3_OK ? r.ReadUInt64() : 0);
        });
}

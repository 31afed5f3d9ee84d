using System.Buffers.Binary;

namespace Gateway.Smb.DceRpc;

/// <summary>
/// One open of a named pipe on IPC$ serving DCE/RPC over SMB (MS-RPCE 2.1.1.2, ncacn_np): the client
/// writes PDUs (BIND, REQUEST fragments, ...) and reads the answers. Writes may split or join PDUs
/// anyhow: input is reassembled by frag_length. Reads are message-mode: one read returns at most one
/// PDU, and <c>more</c> says that PDU continues (SMB answers STATUS_BUFFER_OVERFLOW).
/// </summary>
/// <remarks>
/// Every malformed input gets a FAULT (or BIND_NAK for a bad BIND) or nothing; nothing here throws on
/// client bytes. Memory is bounded: one fragment of input (frag_length is 16 bits), one request stub of
/// <see cref="MaxRequestStub"/> bytes, and requests are dropped while more than
/// <see cref="MaxPendingOutput"/> bytes of answers wait to be read.
/// Thread-safe: SMB may run a READ and a WRITE on the same pipe concurrently.
/// </remarks>
public sealed class NamedPipeEndpoint
{
    /// <summary>The fragment size offered over SMB (Samba's figure: 4280), and the floor Samba applies (2048).</summary>
    public const int TransportMaxFrag = 4280;
    private const int MinFrag = 2048;
    public const int MaxRequestStub = 1 << 20;
    public const int MaxPendingOutput = 4 << 20;

    private const int RequestHeaderSize = PduHeader.Size + 8;   // alloc_hint(4) p_cont_id(2) opnum(2)
    private const int ResponseHeaderSize = PduHeader.Size + 8;  // alloc_hint(4) p_cont_id(2) cancel_count(1) reserved(1)
    private const int FaultSize = PduHeader.Size + 16;

    private readonly Lock _gate = new();
    private readonly IRpcInterface _interface;
    private readonly string _secondaryAddress;
    // Grows on demand up to one maximal fragment (frag_length is 16 bits), so an idle pipe costs little.
    private byte[] _input = new byte[1024];
    private int _inputLength;
    private readonly Queue<byte[]> _output = new();
    private int _outputOffset;
    private int _outputBytes;

    private bool _bound;
    private uint _assocGroupId;
    private int _maxFrag = TransportMaxFrag;
    private readonly HashSet<ushort> _contexts = [];

    // The request being reassembled from fragments (PFC_FIRST_FRAG ... PFC_LAST_FRAG).
    private bool _pending;
    private uint _pendingCallId;
    private ushort _pendingContext;
    private ushort _pendingOpnum;
    private byte[] _pendingStub = [];
    private int _pendingLength;

    private NamedPipeEndpoint(IRpcInterface iface, string pipeName)
    {
        _interface = iface;
        _secondaryAddress = "\\PIPE\\" + pipeName;
    }

    /// <summary>
    /// pipeName without the "\PIPE\" prefix (tolerated if present), case-insensitive: "srvsvc" or "wkssvc".
    /// Null: no such pipe (the server answers STATUS_OBJECT_NAME_NOT_FOUND).
    /// </summary>
    public static NamedPipeEndpoint? Open(string pipeName, Func<IReadOnlyList<ShareInfo>> shares, string serverName) =>
        Open(pipeName, shares, serverName, "WORKGROUP");

    /// <summary>As above; <paramref name="domainName"/> is the workgroup wkssvc reports.</summary>
    public static NamedPipeEndpoint? Open(string pipeName, Func<IReadOnlyList<ShareInfo>> shares, string serverName, string domainName)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentNullException.ThrowIfNull(serverName);
        ArgumentNullException.ThrowIfNull(domainName);
        string name = pipeName.TrimStart('\\');
        if (name.StartsWith("PIPE\\", StringComparison.OrdinalIgnoreCase)) name = name.Substring(5);
        return name.ToLowerInvariant() switch
        {
            "srvsvc" => new NamedPipeEndpoint(new SrvsvcInterface(shares, serverName), "srvsvc"),
            "wkssvc" => new NamedPipeEndpoint(new WkssvcInterface(serverName, domainName), "wkssvc"),
            _ => null,
        };
    }

    public bool HasOutput
    {
        get
        {
            lock (_gate) return _output.Count > 0;
        }
    }

    /// <summary>Bytes the client wrote (one WRITE or the TRANSCEIVE input).</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            while (!data.IsEmpty)
            {
                // Full and nothing consumed means an incomplete fragment larger than the buffer; a
                // buffer of ushort.MaxValue always holds a complete fragment, which ProcessInput consumes.
                if (_inputLength == _input.Length) Array.Resize(ref _input, Math.Min(ushort.MaxValue, _input.Length * 4));
                int take = Math.Min(data.Length, _input.Length - _inputLength);
                data.Slice(0, take).CopyTo(_input.AsSpan(_inputLength));
                _inputLength += take;
                data = data.Slice(take);
                ProcessInput();
            }
        }
    }

    /// <summary>Copies pending output (at most the rest of one PDU); <paramref name="more"/>: that PDU has bytes left.</summary>
    public int Read(Span<byte> destination, out bool more)
    {
        lock (_gate)
        {
            more = false;
            if (_output.Count == 0) return 0;
            byte[] head = _output.Peek();
            int n = Math.Min(destination.Length, head.Length - _outputOffset);
            head.AsSpan(_outputOffset, n).CopyTo(destination);
            _outputOffset += n;
            _outputBytes -= n;
            if (_outputOffset == head.Length)
            {
                _output.Dequeue();
                _outputOffset = 0;
            }
            else
            {
                more = true;
            }

            return n;
        }
    }

    private void ProcessInput()
    {
        int start = 0;
        while (_inputLength - start >= PduHeader.Size)
        {
            ReadOnlySpan<byte> available = _input.AsSpan(start, _inputLength - start);
            if (!PduHeader.TryRead(available, out PduHeader header) || header.FragLength < PduHeader.Size)
            {
                // No trustworthy frag_length: the stream cannot be resynchronised. Fault whatever
                // call id the bytes claim, and drop everything buffered.
                Fault(BinaryPrimitives.ReadUInt32LittleEndian(available.Slice(12)), 0, DceFaultStatus.ProtocolError, didNotExecute: true);
                start = _inputLength;
                break;
            }

            if (header.FragLength > available.Length) break;
            HandlePdu(header, available.Slice(0, header.FragLength));
            start += header.FragLength;
        }

        _input.AsSpan(start, _inputLength - start).CopyTo(_input);
        _inputLength -= start;
    }

    private void HandlePdu(in PduHeader header, ReadOnlySpan<byte> pdu)
    {
        switch (header.Type)
        {
            case DcePduType.Bind:
                HandleBind(header, pdu);
                break;
            case DcePduType.AlterContext:
                HandleAlterContext(header, pdu);
                break;
            case DcePduType.Request:
                HandleRequest(header, pdu);
                break;
            case DcePduType.Orphaned:
                // The client abandoned a call mid-fragments: forget it, keep the pipe (no reply is sent).
                if (_pending && header.CallId == _pendingCallId) ResetPending();
                break;
            case DcePduType.Auth3:
            case DcePduType.CoCancel:
                // No authentication is negotiated on these pipes, and calls finish as soon as their
                // last fragment arrives: there is nothing for either to act on.
                break;
            default:
                Fault(header.CallId, 0, DceFaultStatus.ProtocolError, didNotExecute: true);
                break;
        }
    }

    private void HandleBind(in PduHeader header, ReadOnlySpan<byte> pdu)
    {
        if (header.MinorVersion > 1)
        {
            BindNak(header.CallId, BindNakReason.ProtocolVersionNotSupported);
            return;
        }

        // Big-endian or non-ASCII senders are refused up front: the NDR decoder is little-endian only.
        if (!header.IsSupportedDrep || header.AuthLength != 0 || _bound)
        {
            BindNak(header.CallId, BindNakReason.NotSpecified);
            return;
        }

        var accepted = new List<ushort>();
        if (!BindRequest.TryParse(pdu.Slice(PduHeader.Size), _interface.Syntax, accepted, out BindRequest bind))
        {
            BindNak(header.CallId, BindNakReason.NotSpecified);
            return;
        }

        // As Samba does: both directions use the same size, the smaller of the client's two, at least
        // 2048, at most what we offer over SMB, cut to a multiple of 8.
        int requested = Math.Max(MinFrag, Math.Min((int)bind.MaxXmitFrag, bind.MaxRecvFrag));
        _maxFrag = Math.Min(requested, TransportMaxFrag) & 0xFFF8;
        _assocGroupId = bind.AssocGroupId != 0 ? bind.AssocGroupId : (uint)Random.Shared.Next(0x1000, int.MaxValue);
        _bound = true;
        _contexts.UnionWith(accepted);
        Enqueue(BindRequest.BuildAck(DcePduType.BindAck, header.CallId, (ushort)_maxFrag, _assocGroupId, _secondaryAddress, bind.Results));
    }

    private void HandleAlterContext(in PduHeader header, ReadOnlySpan<byte> pdu)
    {
        if (!_bound || !header.IsSupportedDrep || header.AuthLength != 0)
        {
            Fault(header.CallId, 0, DceFaultStatus.ProtocolError, didNotExecute: true);
            return;
        }

        var accepted = new List<ushort>();
        if (!BindRequest.TryParse(pdu.Slice(PduHeader.Size), _interface.Syntax, accepted, out BindRequest alter))
        {
            Fault(header.CallId, 0, DceFaultStatus.ProtocolError, didNotExecute: true);
            return;
        }

        _contexts.UnionWith(accepted);
        Enqueue(BindRequest.BuildAck(DcePduType.AlterContextResponse, header.CallId, (ushort)_maxFrag, _assocGroupId, string.Empty, alter.Results));
    }

    // REQUEST body (C706 12.6.4.9): alloc_hint(4) p_cont_id(2) opnum(2) [object uuid(16) if PFC_OBJECT_UUID] stub.
    private void HandleRequest(in PduHeader header, ReadOnlySpan<byte> pdu)
    {
        int stubAt = RequestHeaderSize + ((header.Flags & PfcFlags.ObjectUuid) != 0 ? 16 : 0);
        if (!_bound || !header.IsSupportedDrep || header.AuthLength != 0 || pdu.Length < stubAt)
        {
            if (_pending && header.CallId == _pendingCallId) ResetPending();
            Fault(header.CallId, 0, DceFaultStatus.ProtocolError, didNotExecute: true);
            return;
        }

        ushort contextId = BinaryPrimitives.ReadUInt16LittleEndian(pdu.Slice(20));
        ushort opnum = BinaryPrimitives.ReadUInt16LittleEndian(pdu.Slice(22));
        ReadOnlySpan<byte> stub = pdu.Slice(stubAt);

        if ((header.Flags & PfcFlags.FirstFrag) != 0)
        {
            if (_pending)
            {
                // A new call began before the last one's final fragment: that one is lost.
                Fault(_pendingCallId, _pendingContext, DceFaultStatus.ProtocolError, didNotExecute: true);
            }

            _pending = true;
            _pendingCallId = header.CallId;
            _pendingContext = contextId;
            _pendingOpnum = opnum;
            _pendingLength = 0;
        }
        else if (!_pending || header.CallId != _pendingCallId)
        {
            Fault(header.CallId, contextId, DceFaultStatus.ProtocolError, didNotExecute: true);
            return;
        }

        if (stub.Length > MaxRequestStub - _pendingLength)
        {
            ResetPending();
            Fault(header.CallId, contextId, DceFaultStatus.RemoteNoMemory, didNotExecute: true);
            return;
        }

        // alloc_hint is only a hint, so the buffer grows from what actually arrives.
        if (_pendingStub.Length < _pendingLength + stub.Length)
        {
            Array.Resize(ref _pendingStub, Math.Min(MaxRequestStub, Math.Max(_pendingLength + stub.Length, _pendingStub.Length * 2)));
        }

        stub.CopyTo(_pendingStub.AsSpan(_pendingLength));
        _pendingLength += stub.Length;
        if ((header.Flags & PfcFlags.LastFrag) == 0) return;

        uint callId = _pendingCallId;
        ushort context = _pendingContext;
        ushort op = _pendingOpnum;
        ReadOnlySpan<byte> request = _pendingStub.AsSpan(0, _pendingLength);
        _pending = false;
        Dispatch(callId, context, op, request);
        ResetPending();
    }

    private void Dispatch(uint callId, ushort contextId, ushort opnum, ReadOnlySpan<byte> stub)
    {
        // A client that writes without reading gets no more answers until it catches up.
        if (_outputBytes > MaxPendingOutput) return;
        if (!_contexts.Contains(contextId))
        {
            Fault(callId, contextId, DceFaultStatus.UnknownInterface, didNotExecute: true);
            return;
        }

        var output = new NdrWriter();
        try
        {
            if (!_interface.TryInvoke(opnum, stub, output))
            {
                Fault(callId, contextId, DceFaultStatus.OpRangeError, didNotExecute: true);
                return;
            }
        }
        catch (NdrException)
        {
            Fault(callId, contextId, DceFaultStatus.BadStubData, didNotExecute: true);
            return;
        }

        Respond(callId, contextId, output.Written);
    }

    // RESPONSE (C706 12.6.4.10), cut into fragments of at most the negotiated size. alloc_hint is the
    // stub bytes still to come from this fragment on, which lets the client size its buffer once.
    private void Respond(uint callId, ushort contextId, ReadOnlySpan<byte> stub)
    {
        int maxChunk = _maxFrag - ResponseHeaderSize;
        int offset = 0;
        do
        {
            int chunk = Math.Min(maxChunk, stub.Length - offset);
            byte flags = 0;
            if (offset == 0) flags |= PfcFlags.FirstFrag;
            if (offset + chunk == stub.Length) flags |= PfcFlags.LastFrag;
            var pdu = new byte[ResponseHeaderSize + chunk];
            PduHeader.Write(pdu, DcePduType.Response, flags, pdu.Length, callId);
            BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(16), (uint)(stub.Length - offset));
            BinaryPrimitives.WriteUInt16LittleEndian(pdu.AsSpan(20), contextId);
            stub.Slice(offset, chunk).CopyTo(pdu.AsSpan(ResponseHeaderSize));
            Enqueue(pdu);
            offset += chunk;
        }
        while (offset < stub.Length);
    }

    // FAULT (C706 12.6.4.7): alloc_hint(4) p_cont_id(2) cancel_count(1) reserved(1) status(4) reserved(4).
    private void Fault(uint callId, ushort contextId, uint status, bool didNotExecute)
    {
        if (_outputBytes > MaxPendingOutput) return;
        var pdu = new byte[FaultSize];
        byte flags = PfcFlags.FirstFrag | PfcFlags.LastFrag;
        if (didNotExecute) flags |= PfcFlags.DidNotExecute;
        PduHeader.Write(pdu, DcePduType.Fault, flags, FaultSize, callId);
        BinaryPrimitives.WriteUInt16LittleEndian(pdu.AsSpan(20), contextId);
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(24), status);
        Enqueue(pdu);
    }

    // BIND_NAK (C706 12.6.4.5): provider_reject_reason(2), versions supported: n_protocols(1) {major, minor}[n], padded to 4.
    private void BindNak(uint callId, ushort reason)
    {
        if (_outputBytes > MaxPendingOutput) return;
        const int size = PduHeader.Size + 8;
        var pdu = new byte[size];
        PduHeader.Write(pdu, DcePduType.BindNak, PfcFlags.FirstFrag | PfcFlags.LastFrag, size, callId);
        BinaryPrimitives.WriteUInt16LittleEndian(pdu.AsSpan(16), reason);
        pdu[18] = 1;
        pdu[19] = 5;
        pdu[20] = 0;
        Enqueue(pdu);
    }

    private void Enqueue(byte[] pdu)
    {
        _output.Enqueue(pdu);
        _outputBytes += pdu.Length;
    }

    private void ResetPending()
    {
        _pending = false;
        _pendingLength = 0;
        // Keep a small buffer for the next call; give back a large one.
        if (_pendingStub.Length > 64 * 1024) _pendingStub = [];
    }

    private static class BindNakReason
    {
        public const ushort NotSpecified = 0;
        public const ushort ProtocolVersionNotSupported = 4;
    }
}

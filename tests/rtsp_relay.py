"""A minimal RTSP server for the tests: one publisher pushes, one reader pulls (TCP).

What an IP camera or a media server (mediamtx, Wowza) does for the reader: FFmpeg's RTSP
muxer publishes to it (``ANNOUNCE`` with the SDP, ``SETUP`` per track with
``mode=record``, ``RECORD``, then RTP interleaved in the TCP connection), and FFmpeg's
RTSP client reads from it (``DESCRIBE`` gets that SDP, ``SETUP`` per track, ``PLAY``),
the RTP and RTCP packets relayed from one connection to the other on the channels each
side asked for (those sent before the first reader played, replayed to it first). Run
as ``python tests/rtsp_relay.py PORT``; it serves until killed.
"""

import socket
import sys
import threading


class Relay:
    def __init__(self, port: int) -> None:
        self.server = socket.create_server(('127.0.0.1', port))
        self.sdp: bytes | None = None
        self.publisher: socket.socket | None = None
        self.recording = threading.Event()  # the publisher set up every track and records
        self.publisher_channels: dict[str, int] = {}  # track control -> first channel
        self.readers: list[tuple[socket.socket, dict[int, int]]] = []  # channel maps
        self.backlog: list | None = []  # packets until the first reader plays
        self.lock = threading.Lock()

    def serve(self) -> None:
        while True:
            connection, _ = self.server.accept()
            threading.Thread(target=self.session, args=(connection,), daemon=True).start()

    def session(self, connection: socket.socket) -> None:
        stream = connection.makefile('rb')
        channels: dict[int, int] = {}  # a reader's: publisher channel -> its channel
        try:
            while True:
                first = stream.read(1)
                if not first:
                    return
                if first == b'$':  # interleaved RTP/RTCP from the publisher
                    header = stream.read(3)
                    data = stream.read(int.from_bytes(header[1:], 'big'))
                    self.forward(header[0], data)
                    continue
                request = self.read_request(first + stream.readline(), stream)
                self.answer(connection, request, channels)
        except OSError:
            return
        finally:
            with self.lock:
                self.readers = [r for r in self.readers if r[0] is not connection]
                if connection is self.publisher:  # the stream is over: so are its readers
                    for reader, _ in self.readers:
                        reader.shutdown(socket.SHUT_RDWR)

    @staticmethod
    def read_request(line: bytes, stream) -> dict:
        method, url, _ = line.decode().split(' ', 2)
        headers = {}
        while (header := stream.readline().decode().strip()) != '':
            key, value = header.split(':', 1)
            headers[key.strip().lower()] = value.strip()
        body = stream.read(int(headers.get('content-length', 0)))
        return dict(method=method, url=url, headers=headers, body=body)

    def answer(self, connection, request: dict, channels: dict[int, int]) -> None:
        method, url, headers = request['method'], request['url'], request['headers']
        reply = {'CSeq': headers.get('cseq', '0')}
        body = b''
        if method == 'OPTIONS':
            reply['Public'] = 'OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, TEARDOWN'
        elif method == 'ANNOUNCE':
            self.sdp, self.publisher = request['body'], connection
        elif method == 'DESCRIBE':
            if not self.recording.wait(10):
                self.send(connection, '404 Not Found', reply)
                return
            reply['Content-Type'] = 'application/sdp'
            reply['Content-Base'] = url.rstrip('/') + '/'
            body = self.sdp
        elif method == 'SETUP':
            transport = headers['transport']
            first = int(transport.split('interleaved=')[1].split('-')[0])
            control = url.rstrip('/').rsplit('/', 1)[-1]
            if 'mode=record' in transport.lower():
                self.publisher_channels[control] = first
            else:  # the reader's channels for the publisher's track of the same control
                source = self.publisher_channels[control]
                channels.update({source: first, source + 1: first + 1})
            reply['Transport'] = transport
            reply['Session'] = '1'
        elif method == 'PLAY':
            reply['Session'] = '1'
            self.send(connection, '200 OK', reply)
            with self.lock:  # what was sent before anyone played it (as a server's GOP cache)
                for channel, data in self.backlog:
                    self.send_frame(connection, channels, channel, data)
                self.backlog = None
                self.readers.append((connection, channels))
            return
        elif method == 'RECORD':
            reply['Session'] = '1'
            self.recording.set()
        elif method in ('TEARDOWN', 'GET_PARAMETER', 'SET_PARAMETER'):
            reply['Session'] = '1'
        self.send(connection, '200 OK', reply, body)

    @staticmethod
    def send(connection, status: str, headers: dict, body: bytes = b'') -> None:
        lines = [f'RTSP/1.0 {status}', *(f'{k}: {v}' for k, v in headers.items())]
        if body:
            lines.append(f'Content-Length: {len(body)}')
        connection.sendall(('\r\n'.join(lines) + '\r\n\r\n').encode() + body)

    def forward(self, channel: int, data: bytes) -> None:
        with self.lock:
            if self.backlog is not None:
                self.backlog.append((channel, data))
            readers = list(self.readers)
        for connection, channels in readers:
            self.send_frame(connection, channels, channel, data)

    @staticmethod
    def send_frame(connection, channels: dict[int, int], channel: int, data: bytes) -> None:
        if channel in channels:
            frame = b'$' + bytes([channels[channel]]) + len(data).to_bytes(2, 'big') + data
            try:
                connection.sendall(frame)
            except OSError:
                pass


if __name__ == '__main__':
    Relay(int(sys.argv[1])).serve()

//! Two threads where one would wait on the other: a big sheet part is
//! unpacked on a helper thread while its XML is parsed ([`read_ahead`]),
//! and a rewritten sheet is produced on a helper thread while the zip
//! writer deflates it ([`pipelined`]). On a 100k-row sheet, deflating is
//! about a third of a rewrite and unpacking a tenth of a read; with two
//! cores both come off the wall time. With one thread allowed
//! ([`crate::threads`]) both run on the calling thread instead.

use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Bytes handed over at a time: big enough that the channel costs
/// nothing, small enough that a few in flight cost no memory.
const CHUNK: usize = 256 * 1024;

/// Chunks allowed in flight before the producer waits for the writer.
const IN_FLIGHT: usize = 4;

/// Runs `produce` on a helper thread with a writer whose bytes reach
/// `sink`, in order, on this thread. Returns `produce`'s error, or the
/// sink's if writing failed first, in the producer's error type.
pub(crate) fn pipelined<S, P, E>(sink: &mut S, produce: P) -> Result<(), E>
where
    S: Write,
    P: FnOnce(&mut ChunkSender<'_>) -> Result<(), E> + Send,
    E: From<io::Error> + Send,
{
    if !crate::threads::parallel() {
        let mut sender = ChunkSender {
            target: Target::Direct(sink),
            buf: Vec::with_capacity(CHUNK),
        };
        produce(&mut sender)?;
        return sender.flush().map_err(E::from);
    }
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Vec<u8>>(IN_FLIGHT);
        let producer = scope.spawn(move || {
            let mut sender = ChunkSender {
                target: Target::Channel(tx),
                buf: Vec::with_capacity(CHUNK),
            };
            produce(&mut sender)?;
            sender.flush().map_err(E::from)
        });
        let mut sink_error = None;
        for chunk in rx.iter() {
            if let Err(e) = sink.write_all(&chunk) {
                // Dropping the receiver makes the producer's next send
                // fail, so it stops instead of waiting forever.
                sink_error = Some(e);
                break;
            }
        }
        drop(rx);
        let produced = match producer.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        match sink_error {
            Some(e) => Err(E::from(e)),
            None => produced,
        }
    })
}

/// Runs `consume` with a reader over `source` whose bytes are read on a
/// helper thread, a few chunks ahead. Read errors reach `consume` as read
/// errors; when `consume` stops early, the helper stops too.
pub(crate) fn read_ahead<R, T>(source: R, consume: impl FnOnce(&mut dyn BufRead) -> T) -> T
where
    R: Read + Send,
{
    if !crate::threads::parallel() {
        return consume(&mut io::BufReader::with_capacity(CHUNK, source));
    }
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(IN_FLIGHT);
        scope.spawn(move || {
            let mut source = source;
            loop {
                let mut chunk = Vec::with_capacity(CHUNK);
                let read = (&mut source).take(CHUNK as u64).read_to_end(&mut chunk);
                let done = !matches!(read, Ok(n) if n > 0);
                let message = read.map(|_| chunk);
                // A closed channel means the reader stopped early.
                if tx.send(message).is_err() || done {
                    return;
                }
            }
        });
        let mut reader = ChunkReader {
            rx: Some(rx),
            chunk: Vec::new(),
            pos: 0,
        };
        let result = consume(&mut reader);
        // Dropping the receiver lets the helper's next send fail.
        drop(reader);
        result
    })
}

/// The consumer's end of [`read_ahead`].
struct ChunkReader {
    /// `None` once the source is exhausted.
    rx: Option<Receiver<io::Result<Vec<u8>>>>,
    chunk: Vec<u8>,
    pos: usize,
}

impl Read for ChunkReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_through_buffer(self, out)
    }
}

/// `Read::read` for a reader whose buffer does the work: copies what
/// `fill_buf` holds into `out` and consumes it.
pub(crate) fn read_through_buffer(reader: &mut impl BufRead, out: &mut [u8]) -> io::Result<usize> {
    let available = reader.fill_buf()?;
    let n = available.len().min(out.len());
    out[..n].copy_from_slice(&available[..n]);
    reader.consume(n);
    Ok(n)
}

impl BufRead for ChunkReader {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos == self.chunk.len() {
            let Some(rx) = &self.rx else {
                return Ok(&[]);
            };
            match rx.recv() {
                Ok(Ok(chunk)) if !chunk.is_empty() => {
                    self.chunk = chunk;
                    self.pos = 0;
                }
                Ok(Err(e)) => {
                    self.rx = None;
                    return Err(e);
                }
                // The end of the source, or a helper that stopped.
                Ok(Ok(_)) | Err(_) => self.rx = None,
            }
        }
        Ok(&self.chunk[self.pos..])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.chunk.len());
    }
}

/// The producer's end of [`pipelined`]: buffers writes and sends them on
/// in chunks.
pub(crate) struct ChunkSender<'a> {
    target: Target<'a>,
    buf: Vec<u8>,
}

/// Where a [`ChunkSender`]'s chunks go.
enum Target<'a> {
    /// To the writing thread.
    Channel(SyncSender<Vec<u8>>),
    /// Straight into the sink (one thread allowed).
    Direct(&'a mut dyn Write),
}

impl ChunkSender<'_> {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        match &mut self.target {
            Target::Channel(tx) => {
                let full = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
                tx.send(full)
                    .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the output stopped"))
            }
            Target::Direct(sink) => {
                sink.write_all(&self.buf)?;
                self.buf.clear();
                Ok(())
            }
        }
    }
}

impl Write for ChunkSender<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_arrive_whole_and_in_order() {
        let expected: Vec<u8> = (0..3 * CHUNK + 17).map(|i| (i % 251) as u8).collect();
        let mut out = Vec::new();
        pipelined(&mut out, |w| {
            for piece in expected.chunks(1000) {
                w.write_all(piece)?;
            }
            io::Result::Ok(())
        })
        .unwrap();
        assert_eq!(out, expected);
    }

    /// A sink that fails after a few bytes.
    struct Failing(usize);

    impl Write for Failing {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            if self.0 < data.len() {
                return Err(io::Error::other("disk full"));
            }
            self.0 -= data.len();
            Ok(data.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// With one thread allowed, the same bytes and the same errors, on
    /// the calling thread. (The limit is process-wide: other tests running
    /// meanwhile only lose their helper threads, never their results.)
    #[test]
    fn one_thread_gives_the_same_bytes_and_errors() {
        crate::threads::set_limit(Some(1));
        let expected: Vec<u8> = (0..2 * CHUNK + 5).map(|i| (i % 13) as u8).collect();
        let mut out = Vec::new();
        let written = pipelined(&mut out, |w| w.write_all(&expected));
        let failed = pipelined(&mut Failing(10), |w| w.write_all(&[0; CHUNK]));
        let mut read = Vec::new();
        let copied = read_ahead(&expected[..], |r| r.read_to_end(&mut read));
        crate::threads::set_limit(None);
        written.unwrap();
        assert_eq!(out, expected);
        assert_eq!(failed.unwrap_err().to_string(), "disk full");
        assert_eq!(copied.unwrap(), expected.len());
        assert_eq!(read, expected);
    }

    #[test]
    fn a_failing_sink_stops_the_producer_with_the_sinks_error() {
        let result = pipelined(&mut Failing(10), |w| {
            for _ in 0..100 * IN_FLIGHT {
                w.write_all(&[0; CHUNK])?;
            }
            io::Result::Ok(())
        });
        assert_eq!(result.unwrap_err().to_string(), "disk full");
    }

    #[test]
    fn read_ahead_hands_over_every_byte_in_order() {
        let source: Vec<u8> = (0..2 * CHUNK + 5).map(|i| (i % 253) as u8).collect();
        let mut copy = Vec::new();
        read_ahead(&source[..], |r| r.read_to_end(&mut copy)).unwrap();
        assert_eq!(copy, source);
        let lines = read_ahead(&b"a\nb\n"[..], |r| r.lines().count());
        assert_eq!(lines, 2);
    }

    /// A source that fails after one chunk.
    struct Broken(bool);

    impl Read for Broken {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if std::mem::replace(&mut self.0, true) {
                return Err(io::Error::other("bad zip data"));
            }
            out.fill(b'x');
            Ok(out.len())
        }
    }

    #[test]
    fn read_ahead_reports_read_errors_and_early_stops() {
        let err = read_ahead(Broken(false), |r| r.read_to_end(&mut Vec::new())).unwrap_err();
        assert_eq!(err.to_string(), "bad zip data");
        let endless = std::io::repeat(1);
        let first = read_ahead(endless, |r| r.fill_buf().map(|b| b[0]).unwrap());
        assert_eq!(first, 1);
    }

    #[test]
    fn the_producers_error_comes_back() {
        let mut out = Vec::new();
        let result = pipelined(&mut out, |_| Err(io::Error::other("bad row")));
        assert_eq!(result.unwrap_err().to_string(), "bad row");
    }
}

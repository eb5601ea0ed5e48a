//! Two threads where one would wait on the other. A big sheet part is
//! unpacked and cut into XML events on a helper thread while the reader
//! builds cells from them ([`xml_events_ahead`]); a rewritten sheet is
//! produced on a helper thread while the zip writer deflates it
//! ([`pipelined`]; a big one is rewritten in pieces side by side, see
//! `io::write::patch::sheet_parts`). Measured on a 300k-row sheet:
//! unpacking and cutting into events is about half of a read and two
//! fifths of a rewrite; deflating is about a quarter of a rewrite. With one
//! thread allowed ([`crate::threads`]) everything runs on the calling
//! thread.

use quick_xml::events::{
    BytesCData, BytesDecl, BytesEnd, BytesPI, BytesRef, BytesStart, BytesText, Event,
};
use quick_xml::Reader;
use std::io::{self, BufRead, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

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

/// Runs `consume` with the XML events of `reader`, read on a helper
/// thread a few batches ahead; `prepare` runs on the helper before each
/// event is read (to start a per-item budget, say). The reader's events
/// arrive in order, with its configuration applied; a parse error arrives
/// where it was met, and ends the events. When `consume` stops early, the
/// helper stops too.
pub(crate) fn xml_events_ahead<R, T>(
    reader: Reader<R>,
    mut prepare: impl FnMut(&mut Reader<R>) + Send,
    consume: impl FnOnce(&mut EventsAhead) -> T,
) -> T
where
    R: BufRead + Send,
{
    std::thread::scope(|scope| {
        let (mut events, tx, spare_rx) = EventsAhead::channel();
        scope.spawn(move || {
            let mut cutter = EventCutter::new(reader);
            loop {
                let spare = spare_rx.try_recv().unwrap_or_else(|_| EventBatch::new());
                let batch = cutter.fill(spare, &mut prepare);
                let last = batch.end.is_some();
                // A closed channel means the consumer stopped early.
                if tx.send(batch).is_err() || last {
                    return;
                }
            }
        });
        let result = consume(&mut events);
        // Dropping the receiver lets the helper's next send fail.
        drop(events);
        result
    })
}

/// Cuts a reader's XML into batches of events.
struct EventCutter<R> {
    reader: Reader<R>,
    buf: Vec<u8>,
}

impl<R: BufRead> EventCutter<R> {
    fn new(reader: Reader<R>) -> EventCutter<R> {
        EventCutter {
            reader,
            buf: Vec::with_capacity(4096),
        }
    }

    /// `batch` (empty) filled with the next events until it is full, or
    /// with the last ones and the end (or the error met); `prepare` runs
    /// before each event is read.
    fn fill(
        &mut self,
        mut batch: EventBatch,
        prepare: &mut impl FnMut(&mut Reader<R>),
    ) -> EventBatch {
        loop {
            prepare(&mut self.reader);
            self.buf.clear();
            match self.reader.read_event_into(&mut self.buf) {
                Ok(Event::Eof) => batch.end = Some(Ok(())),
                Ok(event) => batch.push(&event),
                Err(e) => batch.end = Some(Err(e)),
            }
            if batch.end.is_some() || batch.is_full() {
                return batch;
            }
        }
    }
}

/// Text bytes a batch of events holds before it is handed over.
const EVENT_BATCH_TEXT: usize = 256 * 1024;

/// Events a batch holds before it is handed over (many short ones).
const EVENT_BATCH_ITEMS: usize = 16 * 1024;

/// Events read on the helper thread of [`xml_events_ahead`], their text
/// one string, so a batch costs two allocations however many events.
#[derive(Default)]
struct EventBatch {
    text: String,
    items: Vec<EventItem>,
    /// After the items: the end of the part, or the error met.
    end: Option<quick_xml::Result<()>>,
}

/// One event of an [`EventBatch`]: its kind and where its text is.
#[derive(Clone, Copy)]
struct EventItem {
    kind: EventKind,
    start: usize,
    end: usize,
    /// For an element: the length of its name at the start of its text.
    name_len: usize,
}

#[derive(Clone, Copy)]
enum EventKind {
    Start,
    Empty,
    End,
    Text,
    CData,
    GeneralRef,
    Comment,
    Decl,
    PI,
    DocType,
}

impl EventBatch {
    fn new() -> EventBatch {
        EventBatch {
            // A little room past the limit for the event that reaches it.
            text: String::with_capacity(EVENT_BATCH_TEXT + 4096),
            items: Vec::with_capacity(EVENT_BATCH_ITEMS),
            end: None,
        }
    }

    fn push(&mut self, event: &Event<'_>) {
        let (kind, name_len) = match event {
            Event::Start(e) => (EventKind::Start, e.name().as_ref().len()),
            Event::Empty(e) => (EventKind::Empty, e.name().as_ref().len()),
            Event::End(_) => (EventKind::End, 0),
            Event::Text(_) => (EventKind::Text, 0),
            Event::CData(_) => (EventKind::CData, 0),
            Event::GeneralRef(_) => (EventKind::GeneralRef, 0),
            Event::Comment(_) => (EventKind::Comment, 0),
            Event::Decl(_) => (EventKind::Decl, "xml".len()),
            Event::PI(_) => (EventKind::PI, 0),
            Event::DocType(_) => (EventKind::DocType, 0),
            // Never pushed: the end travels as `EventBatch::end`.
            Event::Eof => return,
        };
        let start = self.text.len();
        self.text.push_str(event);
        self.items.push(EventItem {
            kind,
            start,
            end: self.text.len(),
            name_len,
        });
    }

    fn is_full(&self) -> bool {
        self.text.len() >= EVENT_BATCH_TEXT || self.items.len() >= EVENT_BATCH_ITEMS
    }
}

/// The consumer's end of [`xml_events_ahead`].
pub(crate) struct EventsAhead {
    /// `None` once the events have ended.
    rx: Option<Receiver<EventBatch>>,
    /// Where read batches go back to the helper.
    spare_tx: SyncSender<EventBatch>,
    batch: EventBatch,
    /// The next item of `batch`.
    next: usize,
}

impl EventsAhead {
    /// The consumer's end, with the ends the events are sent on and where
    /// read batches come back to be filled again (no allocating, and no
    /// fresh pages to fault in, for each batch).
    fn channel() -> (EventsAhead, SyncSender<EventBatch>, Receiver<EventBatch>) {
        let (tx, rx) = sync_channel::<EventBatch>(IN_FLIGHT);
        let (spare_tx, spare_rx) = sync_channel::<EventBatch>(IN_FLIGHT + 1);
        let events = EventsAhead {
            rx: Some(rx),
            spare_tx,
            batch: EventBatch::default(),
            next: 0,
        };
        (events, tx, spare_rx)
    }

    /// The next event, as `Reader::read_event` would give it; `Eof` once
    /// the events have ended (also after an error).
    pub(crate) fn next_event(&mut self) -> quick_xml::Result<Event<'_>> {
        while self.next == self.batch.items.len() {
            if let Some(end) = self.batch.end.take() {
                self.rx = None;
                end?;
                return Ok(Event::Eof);
            }
            let Some(rx) = &self.rx else {
                return Ok(Event::Eof);
            };
            match rx.recv() {
                Ok(batch) => {
                    let mut read = std::mem::replace(&mut self.batch, batch);
                    self.next = 0;
                    read.text.clear();
                    read.items.clear();
                    // A full return channel or a finished helper: dropped.
                    let _ = self.spare_tx.try_send(read);
                }
                Err(_) => {
                    // Only a helper that panicked hangs up without an end.
                    self.rx = None;
                    return Err(quick_xml::Error::Io(Arc::new(io::Error::other(
                        "the XML reading thread stopped",
                    ))));
                }
            }
        }
        let item = self.batch.items[self.next];
        self.next += 1;
        Ok(event_of(item, &self.batch.text[item.start..item.end]))
    }
}

/// The event `item` whose text is `text`.
fn event_of(item: EventItem, text: &str) -> Event<'_> {
    match item.kind {
        EventKind::Start => Event::Start(BytesStart::from_content(text, item.name_len)),
        EventKind::Empty => Event::Empty(BytesStart::from_content(text, item.name_len)),
        EventKind::End => Event::End(BytesEnd::new(text)),
        EventKind::Text => Event::Text(BytesText::from_escaped(text)),
        EventKind::CData => Event::CData(BytesCData::new(text)),
        EventKind::GeneralRef => Event::GeneralRef(BytesRef::new(text)),
        EventKind::Comment => Event::Comment(BytesText::from_escaped(text)),
        EventKind::Decl => Event::Decl(BytesDecl::from_start(BytesStart::from_content(
            text,
            item.name_len,
        ))),
        EventKind::PI => Event::PI(BytesPI::new(text)),
        EventKind::DocType => Event::DocType(BytesText::from_escaped(text)),
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
        crate::threads::set_limit(None);
        written.unwrap();
        assert_eq!(out, expected);
        assert_eq!(failed.unwrap_err().to_string(), "disk full");
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
    fn the_producers_error_comes_back() {
        let mut out = Vec::new();
        let result = pipelined(&mut out, |_| Err(io::Error::other("bad row")));
        assert_eq!(result.unwrap_err().to_string(), "bad row");
    }

    /// The events of `xml` as the reader gives them, each as its kind and
    /// text.
    fn events_read_directly(xml: &str) -> Vec<String> {
        let mut reader = Reader::from_reader(xml.as_bytes());
        let mut out = Vec::new();
        loop {
            match reader.read_event().unwrap() {
                Event::Eof => return out,
                event => out.push(described(&event)),
            }
        }
    }

    fn described(event: &Event<'_>) -> String {
        let name = match event {
            Event::Start(e) | Event::Empty(e) => {
                let attrs: Vec<String> = e
                    .attributes()
                    .flatten()
                    .map(|a| format!("{}={}", a.key.local_name().as_ref(), a.value))
                    .collect();
                format!("<{} {}>", e.local_name().as_ref(), attrs.join(","))
            }
            _ => String::new(),
        };
        format!("{:?}{name}:{}", std::mem::discriminant(event), &**event)
    }

    #[test]
    fn xml_events_ahead_gives_the_readers_events_in_order() {
        let mut xml =
            String::from(r#"<?xml version="1.0"?><!DOCTYPE x><?pi data?><!-- c --><sheetData>"#);
        // Enough rows for several batches.
        for row in 1..=3 * EVENT_BATCH_ITEMS {
            xml.push_str(&format!(
                r#"<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>a &amp; b</t></is></c><c r="B{row}"><f>A{row}&lt;2</f><v>{row}</v></c><c r="C{row}"/></row>"#
            ));
        }
        xml.push_str("<x><![CDATA[<raw>]]></x></sheetData>");
        let expected = events_read_directly(&xml);
        let got = xml_events_ahead(
            Reader::from_reader(xml.as_bytes()),
            |_| {},
            |events| {
                let mut out = Vec::new();
                loop {
                    match events.next_event().unwrap() {
                        Event::Eof => return out,
                        event => out.push(described(&event)),
                    }
                }
            },
        );
        assert_eq!(got.len(), expected.len());
        assert_eq!(got, expected);
    }

    #[test]
    fn xml_events_ahead_reports_the_error_where_it_was_met_and_stops() {
        let xml = "<a><b>text</c></a>";
        let (before, error, after) = xml_events_ahead(
            Reader::from_reader(xml.as_bytes()),
            |_| {},
            |events| {
                let mut before = 0;
                let error = loop {
                    match events.next_event() {
                        Ok(Event::Eof) => break None,
                        Ok(_) => before += 1,
                        Err(e) => break Some(e.to_string()),
                    }
                };
                (before, error, matches!(events.next_event(), Ok(Event::Eof)))
            },
        );
        assert_eq!(before, 3, "<a>, <b> and the text come first");
        assert!(error.is_some_and(|e| e.contains("c")));
        assert!(after, "nothing follows the error");
        let first = xml_events_ahead(
            Reader::from_reader(io::BufReader::new(EndlessElements(0))),
            |_| {},
            |events| matches!(events.next_event(), Ok(Event::Empty(_))),
        );
        assert!(
            first,
            "an early stop ends the helper, which would read forever"
        );
    }

    /// `<a/>` without end.
    struct EndlessElements(usize);

    impl io::Read for EndlessElements {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            for byte in out.iter_mut() {
                *byte = b"<a/>"[self.0 % 4];
                self.0 += 1;
            }
            Ok(out.len())
        }
    }
}

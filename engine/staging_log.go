package engine

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
)

// stagingLog is the append-only file behind the staging store
// (staging.log). Each record is
//
//	length u32 | crc32c(payload) u32 | payload
//
// both big endian. A record is written with one write call; with sync on,
// the file is synced before the write is acknowledged (as SQLite's
// synchronous=FULL), otherwise a record survives a crash of the process but
// not of the machine (as SQLite's WAL with synchronous=NORMAL). A torn or
// damaged tail (a crash mid-write) is cut off when the file is opened.
type stagingLog struct {
	path string
	f    *os.File
	size int64
	sync bool
}

const logRecordHeader = 8

// maxLogRecord bounds a record a reader believes: nothing written is larger
// than a prepare message.
const maxLogRecord = 1 << 30

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// openStagingLog opens or creates the log and calls replay with the payload
// of every intact record, in order. It cuts off a damaged tail and reports
// how many bytes it cut.
func openStagingLog(path string, sync bool, replay func(payload []byte) error) (*stagingLog, int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, 0, fmt.Errorf("open staging log: %w", err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("read staging log: %w", err)
	}
	good, err := replayRecords(data, replay)
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	cut := int64(len(data)) - good
	if cut > 0 {
		if err := f.Truncate(good); err != nil {
			f.Close()
			return nil, 0, fmt.Errorf("cut damaged staging log tail: %w", err)
		}
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("seek staging log: %w", err)
	}
	return &stagingLog{path: path, f: f, size: good, sync: sync}, cut, nil
}

// replayRecords calls replay for every intact record at the start of data
// and returns the length of that intact prefix.
func replayRecords(data []byte, replay func([]byte) error) (int64, error) {
	var off int64
	for {
		payload, n := nextRecord(data[off:])
		if n == 0 {
			return off, nil
		}
		if err := replay(payload); err != nil {
			return 0, fmt.Errorf("replay staging log at byte %d: %w", off, err)
		}
		off += int64(n)
	}
}

// nextRecord returns the first record's payload and its total length, or
// 0 when b does not start with an intact record.
func nextRecord(b []byte) ([]byte, int) {
	if len(b) < logRecordHeader {
		return nil, 0
	}
	n := binary.BigEndian.Uint32(b)
	if n > maxLogRecord || int64(n) > int64(len(b)-logRecordHeader) {
		return nil, 0
	}
	payload := b[logRecordHeader : logRecordHeader+int(n)]
	if crc32.Checksum(payload, castagnoli) != binary.BigEndian.Uint32(b[4:]) {
		return nil, 0
	}
	return payload, logRecordHeader + int(n)
}

// appendRecord appends one record holding payload to buf.
func appendRecord(buf, payload []byte) []byte {
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(payload)))
	buf = binary.BigEndian.AppendUint32(buf, crc32.Checksum(payload, castagnoli))
	return append(buf, payload...)
}

// write appends records (made with appendRecord) with one write call; with
// durable set and sync on, it syncs the file before returning. A failed
// write is cut off, so the next record starts on a record boundary.
func (l *stagingLog) write(records []byte, durable bool) error {
	if len(records) == 0 {
		return nil
	}
	if _, err := l.f.Write(records); err != nil {
		if terr := l.f.Truncate(l.size); terr == nil {
			l.f.Seek(l.size, io.SeekStart)
		}
		return fmt.Errorf("write staging log: %w", err)
	}
	l.size += int64(len(records))
	if durable && l.sync {
		if err := l.f.Sync(); err != nil {
			return fmt.Errorf("sync staging log: %w", err)
		}
	}
	return nil
}

// rewrite replaces the log with one holding only records (the live
// entries), written to a temporary file, synced and renamed over it.
func (l *stagingLog) rewrite(records []byte) error {
	if err := WriteFileAtomic(l.path, records); err != nil {
		return fmt.Errorf("compact staging log: %w", err)
	}
	f, err := os.OpenFile(l.path, os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("reopen staging log: %w", err)
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return fmt.Errorf("reopen staging log: %w", err)
	}
	l.f.Close()
	l.f, l.size = f, int64(len(records))
	return nil
}

func (l *stagingLog) close() error { return l.f.Close() }

package mysqlwire

import "fmt"

// Error is a MySQL error: the number and SQLSTATE an ERR packet carries and a
// message that is safe to show the client. Translate returns only *Error
// values, so the server can send them as they are.
type Error struct {
	Code     uint16 // MySQL error number, e.g. 1064
	SQLState string // five characters, e.g. "42000"
	Message  string
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// MySQL error numbers Translate uses.
const (
	ErrCodeNoDB               = 1046 // ER_NO_DB_ERROR
	ErrCodeParse              = 1064 // ER_PARSE_ERROR
	ErrCodeEmptyQuery         = 1065 // ER_EMPTY_QUERY
	ErrCodeWrongDBName        = 1102 // ER_WRONG_DB_NAME
	ErrCodeUnknownTable       = 1109 // ER_UNKNOWN_TABLE
	ErrCodeWrongValueCount    = 1136 // ER_WRONG_VALUE_COUNT_ON_ROW
	ErrCodeUnknownSystemVar   = 1193 // ER_UNKNOWN_SYSTEM_VARIABLE
	ErrCodeWrongValueForVar   = 1231 // ER_WRONG_VALUE_FOR_VAR
	ErrCodeWrongTypeForVar    = 1232 // ER_WRONG_TYPE_FOR_VAR
	ErrCodeNotSupportedYet    = 1235 // ER_NOT_SUPPORTED_YET
	ErrCodeVarReadOnly        = 1238 // ER_INCORRECT_GLOBAL_LOCAL_VAR
	ErrCodeWrongParamCount    = 1582 // ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT
	ErrCodeWrongArguments     = 1210 // ER_WRONG_ARGUMENTS
	ErrCodeWrongColumnName    = 1166 // ER_WRONG_COLUMN_NAME
	ErrCodeMultiplePriKey     = 1068 // ER_MULTIPLE_PRI_KEY
	ErrCodeWrongAutoKey       = 1075 // ER_WRONG_AUTO_KEY
	ErrCodeInvalidDefault     = 1067 // ER_INVALID_DEFAULT
	ErrCodeDupFieldName       = 1060 // ER_DUP_FIELDNAME
	ErrCodeDupKeyName         = 1061 // ER_DUP_KEYNAME
	ErrCodeTooBigPrecision    = 1426 // ER_TOO_BIG_PRECISION
	ErrCodeCantDropFieldOrKey = 1091 // ER_CANT_DROP_FIELD_OR_KEY
)

// errParse reports SQL the MySQL grammar rejects.
func errParse(detail string) *Error {
	return &Error{Code: ErrCodeParse, SQLState: "42000",
		Message: "You have an error in your SQL syntax; " + detail}
}

// errNotSupported reports valid MySQL that Warren does not support; what names
// the feature as MySQL's ER_NOT_SUPPORTED_YET message does.
func errNotSupported(what string) *Error {
	return &Error{Code: ErrCodeNotSupportedYet, SQLState: "42000",
		Message: fmt.Sprintf("This version of Warren doesn't yet support '%s'", what)}
}

// errNotSupportedf is errNotSupported with a formatted feature name.
func errNotSupportedf(format string, args ...any) *Error {
	return errNotSupported(fmt.Sprintf(format, args...))
}

func errNoDatabase() *Error {
	return &Error{Code: ErrCodeNoDB, SQLState: "3D000", Message: "No database selected"}
}

func errEmptyQuery() *Error {
	return &Error{Code: ErrCodeEmptyQuery, SQLState: "42000", Message: "Query was empty"}
}

func errWrongDBName(name string) *Error {
	return &Error{Code: ErrCodeWrongDBName, SQLState: "42000", Message: fmt.Sprintf("Incorrect database name '%s'", name)}
}

func errUnknownSystemVariable(name string) *Error {
	return &Error{Code: ErrCodeUnknownSystemVar, SQLState: "HY000", Message: fmt.Sprintf("Unknown system variable '%s'", name)}
}

func errWrongValueForVar(name, value string) *Error {
	return &Error{Code: ErrCodeWrongValueForVar, SQLState: "42000",
		Message: fmt.Sprintf("Variable '%s' can't be set to the value of '%s'", name, value)}
}

func errWrongTypeForVar(name string) *Error {
	return &Error{Code: ErrCodeWrongTypeForVar, SQLState: "42000", Message: fmt.Sprintf("Incorrect argument type to variable '%s'", name)}
}

func errReadOnlyVar(name string) *Error {
	return &Error{Code: ErrCodeVarReadOnly, SQLState: "HY000", Message: fmt.Sprintf("Variable '%s' is a read only variable", name)}
}

func errParamCount(fn string) *Error {
	return &Error{Code: ErrCodeWrongParamCount, SQLState: "42000",
		Message: fmt.Sprintf("Incorrect parameter count in the call to native function '%s'", fn)}
}

func errWrongArguments(fn string) *Error {
	return &Error{Code: ErrCodeWrongArguments, SQLState: "HY000", Message: fmt.Sprintf("Incorrect arguments to %s", fn)}
}

func errUnknownInfoSchemaTable(name string) *Error {
	return &Error{Code: ErrCodeUnknownTable, SQLState: "42S02", Message: fmt.Sprintf("Unknown table '%s' in information_schema", name)}
}

func errWrongValueCount(row int) *Error {
	return &Error{Code: ErrCodeWrongValueCount, SQLState: "21S01", Message: fmt.Sprintf("Column count doesn't match value count at row %d", row)}
}

func errDDL(code uint16, state, format string, args ...any) *Error {
	return &Error{Code: code, SQLState: state, Message: fmt.Sprintf(format, args...)}
}

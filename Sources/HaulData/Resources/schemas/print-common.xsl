<?xml version="1.0" encoding="UTF-8"?>
<!--
  What the printable documents (schedule-1.xsl, statement-1.xsl) share: amounts as a court reads
  them, the title of proceedings, and the paged-media rules (A4, the title on every page, "Page N
  of M") that WeasyPrint sets as PDF and a browser prints. No arithmetic: XSLT 1.0 numbers are
  doubles, so amounts are laid out from the case file's own digits.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:h="urn:haul:ns:case:1"
                exclude-result-prefixes="h">

  <!-- The prosecution as the jurisdiction names it (Proceedings.prosecution in Haul): the Crown in
       England and Wales and Northern Ireland, HM Advocate in Scotland, the United States. -->
  <xsl:template name="prosecution">
    <xsl:choose>
      <xsl:when test="/h:case/h:header/h:jurisdiction = 'US'">United States v. </xsl:when>
      <xsl:when test="/h:case/h:header/h:jurisdiction = 'GB-SCT'">HM Advocate v </xsl:when>
      <xsl:when test="/h:case/h:header/h:jurisdiction = 'GB-EAW' or /h:case/h:header/h:jurisdiction = 'GB-NIR'">R v </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- The defendants by name, in the title's order: "A, B and C". -->
  <xsl:template name="defendants">
    <xsl:for-each select="/h:case/h:proceedings/h:defendant">
      <xsl:variable name="person" select="@person"/>
      <xsl:value-of select="/h:case/h:people/h:person[@id = $person]"/>
      <xsl:if test="position() != last()"><xsl:choose><xsl:when test="position() = last() - 1"> and </xsl:when><xsl:otherwise>, </xsl:otherwise></xsl:choose></xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- One line for the top of every page: "R v A — Court, number", or "Case REF". -->
  <xsl:template name="running-title">
    <xsl:choose>
      <xsl:when test="/h:case/h:proceedings">
        <xsl:if test="/h:case/h:proceedings/h:defendant"><xsl:call-template name="prosecution"/><xsl:call-template name="defendants"/> — </xsl:if>
        <xsl:value-of select="/h:case/h:proceedings/h:court"/>
        <xsl:if test="/h:case/h:proceedings/h:number">, <xsl:value-of select="/h:case/h:proceedings/h:number"/></xsl:if>
      </xsl:when>
      <xsl:otherwise>Case <xsl:value-of select="/h:case/h:header/h:reference"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The title of proceedings at the head of a document (1.5), defendants by name: it goes to the court. -->
  <xsl:template name="title-of-proceedings">
    <xsl:if test="/h:case/h:proceedings">
      <xsl:variable name="court" select="/h:case/h:proceedings/h:court"/>
      <p class="title"><strong>In <xsl:if test="not(starts-with($court, 'the ') or starts-with($court, 'The '))">the </xsl:if><xsl:value-of select="$court"/></strong>
        <xsl:if test="/h:case/h:proceedings/h:number"> — <xsl:value-of select="/h:case/h:proceedings/h:number"/></xsl:if>
        <xsl:if test="/h:case/h:proceedings/h:defendant"><br/><xsl:call-template name="prosecution"/><xsl:call-template name="defendants"/></xsl:if>
        <xsl:if test="/h:case/h:proceedings/h:prosecutor"><br/>Prosecuting authority: <xsl:value-of select="/h:case/h:proceedings/h:prosecutor"/></xsl:if>
      </p>
    </xsl:if>
  </xsl:template>

  <!-- A date as an English court writes it: 2022-01-05 becomes "5 January 2022"; anything not
       of the form YYYY-MM-DD in digits is left as it is. -->
  <xsl:template name="long-date">
    <xsl:param name="date"/>
    <xsl:variable name="month" select="number(substring($date, 6, 2))"/>
    <xsl:choose>
      <xsl:when test="string-length($date) = 10 and translate($date, '0123456789', '') = '--' and substring($date, 5, 1) = '-'
                      and $month &gt;= 1 and $month &lt;= 12">
        <xsl:value-of select="number(substring($date, 9, 2))"/>
        <xsl:text> </xsl:text>
        <xsl:value-of select="substring-before(substring-after('|01=January|02=February|03=March|04=April|05=May|06=June|07=July|08=August|09=September|10=October|11=November|12=December|', concat('|', substring($date, 6, 2), '=')), '|')"/>
        <xsl:text> </xsl:text>
        <xsl:value-of select="substring($date, 1, 4)"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$date"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Paged media: A4, the running title at the top of every page, "Page N of M" at the foot. -->
  <xsl:template name="paged-media-style">
          @page { size: A4; margin: 22mm 15mm 20mm;
            @top-center { content: string(running); font-size: 8pt; color: #444; }
            @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #444; } }
          .running { string-set: running content(); font-size: 8pt; color: #444; margin: 0 0 0.6em; }
          tbody.keep { break-inside: avoid; page-break-inside: avoid; }
          thead { display: table-header-group; }
  </xsl:template>

  <!-- An amount as a court reads it: thousands grouped as en-GB writes them and the currency's
       symbol (£, €; US$) or its code after the figure. Done on the text, never as a number (XSLT
       1.0 numbers are doubles): the digits are the case file's. -->
  <xsl:template match="*" mode="money">
    <xsl:variable name="amount" select="normalize-space(.)"/>
    <xsl:variable name="currency" select="@currency"/>
    <xsl:variable name="digits" select="translate($amount, '-', '')"/>
    <xsl:variable name="whole" select="substring-before(concat($digits, '.'), '.')"/>
    <xsl:if test="starts-with($amount, '-')">-</xsl:if>
    <xsl:choose>
      <xsl:when test="$currency = 'GBP'">£</xsl:when>
      <xsl:when test="$currency = 'EUR'">€</xsl:when>
      <xsl:when test="$currency = 'USD'">US$</xsl:when>
    </xsl:choose>
    <xsl:call-template name="thousands"><xsl:with-param name="digits" select="$whole"/></xsl:call-template>
    <xsl:if test="contains($digits, '.')">.<xsl:value-of select="substring-after($digits, '.')"/></xsl:if>
    <xsl:if test="not($currency = 'GBP' or $currency = 'EUR' or $currency = 'USD')">&#160;<xsl:value-of select="$currency"/></xsl:if>
  </xsl:template>

  <xsl:template name="thousands">
    <xsl:param name="digits"/>
    <xsl:choose>
      <xsl:when test="string-length($digits) &gt; 3">
        <xsl:call-template name="thousands"><xsl:with-param name="digits" select="substring($digits, 1, string-length($digits) - 3)"/></xsl:call-template>
        <xsl:text>,</xsl:text>
        <xsl:value-of select="substring($digits, string-length($digits) - 2)"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$digits"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
